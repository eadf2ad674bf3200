using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// The model families a trial can train (<c>model.kind</c>, <c>--model</c>), with the model fields only that family
/// uses (setting one for another family is an error), the fields it cannot do without, and the data it reads.
/// Fields every family has (width, depth, activation, bias, dropout, block_depth, layer_norm, ffn_ratio, sigma_*)
/// are listed nowhere. <see cref="Input"/> null: the family reads any data.
/// </summary>
public sealed record ModelKind(
    string Name,
    DataShape? Input,
    ImmutableArray<string> OwnFields,
    ImmutableArray<string> RequiredFields,
    string Description) : IVocabularyWord
{
    private static readonly ImmutableArray<string> Attention = ["heads", "context"];

    public static ModelKind Mlp { get; } = new("mlp", DataShape.Features, [], [], "fully connected network") { Packs = true };
    public static ModelKind Resnet { get; } = new("resnet", DataShape.Features, [], [], "residual MLP (x + r·f(x) blocks)") { Packs = true };
    public static ModelKind ConvResnet { get; } = new("conv-resnet", DataShape.Features, [], [], "convolutional ResNet on square single-channel images");
    public static ModelKind Transformer { get; } = new("transformer", DataShape.Tokens, Attention, ["heads"], "pre-LN byte-level Transformer");
    public static ModelKind Moe { get; } = new("moe", DataShape.Tokens,
        [.. Attention, "experts", "expert_width", "top_k", "aggregation", "load_balance"], ["experts"], "Transformer with mixture-of-experts feed-forward layers");
    public static ModelKind Noop { get; } = new("noop", null, ["work_ms", "gate", "gate_passes", "optimum_slope"], [],
        "no training: waits work_ms and reports a deterministic fake loss (orchestration tests and benchmarks)");
    // The sizes a user's program may scale (heads, experts, ...) are passed to it; it brings its own data.
    public static ModelKind Command { get; } = new("command", null,
        ["run", "workdir", "env", "timeout_s", "metrics", .. Attention, "experts", "expert_width", "top_k"], ["run"],
        "your own training program: gets the trial and its resolved parameterization as JSON, reports on stdout (docs/command-trials.md)")
    {
        ReadsData = false,
    };

    public static IReadOnlyList<ModelKind> All { get; } = [Mlp, Resnet, ConvResnet, Transformer, Moe, Noop, Command];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    /// <summary>False for a family that brings its own data: its spec has no <c>data</c> section.</summary>
    public bool ReadsData { get; init; } = true;

    /// <summary>True for a family whose trials of one shape can train as one stacked model (<c>resources.pack</c>).</summary>
    public bool Packs { get; init; }

    /// <summary>Every field that some family owns: setting it is checked against the family.</summary>
    public static ImmutableArray<string> KindOnlyFields { get; } = [.. All.SelectMany(k => k.OwnFields).Distinct()];

    public static bool TryParse(string? name, out ModelKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static ModelKind Get(string name) => Vocabulary.Get(All, name, "model kind");

    /// <summary>The families that use <paramref name="field"/>: all of them when no family owns it.</summary>
    public static ImmutableArray<string> Using(string field) =>
        KindOnlyFields.Contains(field) ? [.. All.Where(k => k.OwnFields.Contains(field)).Select(k => k.Name)] : Names;

    public bool Uses(string field) => !KindOnlyFields.Contains(field) || OwnFields.Contains(field);

    /// <summary>The data set a run uses when the user names none: text for token models, the synthetic task otherwise.</summary>
    public DataKind DefaultData => Input == DataShape.Tokens ? DataKind.Text : DataKind.Synthetic;

    public bool Reads(DataKind data) => Input is null || Input == data.Shape;
}
