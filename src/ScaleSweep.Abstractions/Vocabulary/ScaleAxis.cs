using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// The model sizes a transfer can be studied along (<c>transfer.axis</c>), each a column of trials.parquet, in the
/// order the default axis is picked from (the first one the grid sweeps). Any other swept grid key (batch,
/// steps, σ_w², …) can be an axis too: its value is read from the trial's extra columns.
/// </summary>
public sealed record ScaleAxis(string Name, Func<TrialResult, int> Read) : IVocabularyWord
{
    public static ScaleAxis Width { get; } = new("width", r => r.Width);
    public static ScaleAxis Depth { get; } = new("depth", r => r.Depth);
    public static ScaleAxis Experts { get; } = new("experts", r => r.Experts);
    public static ScaleAxis ExpertWidth { get; } = new("expert_width", r => r.ExpertWidth);
    public static ScaleAxis TopK { get; } = new("top_k", r => r.TopK);

    public static IReadOnlyList<ScaleAxis> All { get; } = [Width, Depth, Experts, ExpertWidth, TopK];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out ScaleAxis axis) => Vocabulary.TryParse(All, name, out axis);

    /// <summary>True when <paramref name="axis"/> can be analysed given the extra columns of a results file.</summary>
    public static bool IsKnown(string axis, IEnumerable<string> extraColumns) => Names.Contains(axis) || extraColumns.Contains(axis);

    /// <summary>Every axis a results file offers: the model sizes and its extra columns.</summary>
    public static IEnumerable<string> Available(IEnumerable<string> extraColumns) => Names.Concat(extraColumns);

    /// <summary>The trial's value on <paramref name="axis"/> (a model size, or an extra swept value); null when it has none.</summary>
    public static double? ValueOf(TrialResult trial, string axis) =>
        TryParse(axis, out var known) ? known.Read(trial) : trial.Extra.TryGetValue(axis, out var value) ? value : null;
}
