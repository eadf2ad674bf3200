using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>The contents of a results folder: every stored trial with its loss curve attached.</summary>
public sealed record ResultsTable(ImmutableArray<TrialResult> Trials, ImmutableArray<string> ExtraColumns)
{
    public static ResultsTable Empty { get; } = new([], []);

    /// <summary>Keys of the stored trials: a resumed sweep skips these.</summary>
    public ImmutableHashSet<string> TrialKeys => [.. Trials.Select(t => t.TrialKey)];
}
