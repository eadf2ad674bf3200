using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// The keys a grid may sweep: what values each accepts, where the same field is fixed outside the grid
/// (a field is fixed or swept, never both), which model kinds use it, and how a value lands in a trial.
/// </summary>
public static class GridKeys
{
    /// <summary>Keys that are columns of their own in trials.parquet; every other swept key goes to Extra.</summary>
    public static ImmutableArray<string> ColumnKeys { get; } = ["width", "depth", "experts", "expert_width", "top_k", "lr", "seed"];

    internal static ImmutableArray<GridKey> All { get; } =
    [
        new("width", ValueRule.PositiveInt, ["model.width"], (s, v) => s with { Model = s.Model with { Width = (int)v } }),
        new("depth", ValueRule.PositiveInt, ["model.depth"], (s, v) => s with { Model = s.Model with { Depth = (int)v } }),
        new("experts", ValueRule.PositiveInt, ["model.experts"], (s, v) => s with { Model = s.Model with { Experts = (int)v } }),
        new("expert_width", ValueRule.PositiveInt, ["model.expert_width"], (s, v) => s with { Model = s.Model with { ExpertWidth = (int)v } }),
        new("top_k", ValueRule.PositiveInt, ["model.top_k"], (s, v) => s with { Model = s.Model with { TopK = (int)v } }),
        new("heads", ValueRule.PositiveInt, ["model.heads"], (s, v) => s with { Model = s.Model with { Heads = (int)v } }),
        new("lr", ValueRule.Positive, [], (s, v) => s with { Optim = s.Optim with { Lr = v } }),
        new("seed", ValueRule.NonNegativeInt, [], (s, v) => s with { Seed = (int)v }),
        new("batch", ValueRule.PositiveInt, ["train.batch"], (s, v) => s with { Optim = s.Optim with { Batch = (int)v } }),
        // σ_w² lands in both places that read it: the model (signal propagation) and the parameterization (NTK, mean-field).
        new("sigma_w2", ValueRule.Positive, ["model.sigma_w2", "parameterization_options.sigma_w2"], (s, v) => s with
        {
            Model = s.Model with { SigmaW2 = v },
            Options = s.Options with { SigmaW2 = v },
        }),
        new("sigma_b2", ValueRule.NonNegative, ["model.sigma_b2"], (s, v) => s with { Model = s.Model with { SigmaB2 = v }, Options = s.Options with { SigmaB2 = v } }),
        new("dropout", ValueRule.Fraction, ["model.dropout"], (s, v) => s with { Model = s.Model with { Dropout = v } }),
        new("weight_decay", ValueRule.NonNegative, ["train.weight_decay"], (s, v) => s with { Optim = s.Optim with { WeightDecay = v } }),
        new("steps", ValueRule.PositiveInt, ["train.steps"], (s, v) => s with { Optim = s.Optim with { Steps = (int)v } }),
        new("input_mult", ValueRule.Positive, ["parameterization_options.input_mult"], (s, v) => s with { Options = s.Options with { InputMult = v } }),
        new("output_mult", ValueRule.Positive, ["parameterization_options.output_mult"], (s, v) => s with { Options = s.Options with { OutputMult = v } }),
    ];

    /// <summary>Every key a grid may sweep, in documentation order.</summary>
    public static ImmutableArray<string> Names { get; } = [.. All.Select(k => k.Name)];

    /// <summary>True for keys whose values go to <see cref="TrialSpec.Extra"/> (no dedicated column).</summary>
    public static bool IsExtra(string key) => !ColumnKeys.Contains(key);

    internal static GridKey? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The trial with <paramref name="key"/> set to <paramref name="value"/>, as the grid would set it.</summary>
    public static TrialSpec Apply(TrialSpec spec, string key, double value) =>
        (Find(key) ?? throw new ArgumentException($"'{key}' is not a grid key (known: {string.Join(", ", Names)})")).Apply(spec, value);
}

/// <summary>
/// One sweepable key. <paramref name="FixedAt"/>: the paths that fix the same field outside the grid; the model
/// kinds that use a key are those that use its model field (<see cref="ModelKind"/>).
/// </summary>
internal sealed record GridKey(
    string Name,
    ValueRule Rule,
    ImmutableArray<string> FixedAt,
    Func<TrialSpec, double, TrialSpec> Apply)
{
    private string? ModelField => FixedAt.FirstOrDefault(p => p.StartsWith("model.", StringComparison.Ordinal))?["model.".Length..];

    /// <summary>The model kinds that use this key.</summary>
    public ImmutableArray<string> Kinds => ModelField is { } used ? ModelKind.Using(used) : ModelKind.Names;

    public bool UsedBy(ModelKind kind) => ModelField is not { } used || kind.Uses(used);
}
