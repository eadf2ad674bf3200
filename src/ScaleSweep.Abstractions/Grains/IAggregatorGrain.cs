using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>
/// Per sweep (same key as the sweep): streams final results into the sweep's results folder as they arrive and,
/// once every trial is stored, runs the transfer analysis and writes the report.
/// </summary>
/// <remarks>
/// Each activation has an epoch. Rows it accepted but had not flushed are lost if its silo dies, so the sweep
/// grain re-opens it when the epoch changes and re-queues trials whose rows are not stored.
/// </remarks>
public interface IAggregatorGrain : IGrainWithStringKey
{
    /// <summary>Opens (or re-opens) the results folder; returns the trials already stored there.</summary>
    Task<AggregatorOpened> Open(SweepPlan plan);

    /// <summary>Accepts final rows. Returns the epoch, or 0 when not opened (re-open, then send again).</summary>
    Task<long> Append(ImmutableArray<TrialResult> rows);

    /// <summary>
    /// Flushes and checks that every trial of the plan except <paramref name="unplanned"/> (the trials a ladder never
    /// planned; empty for a grid) is stored. When none is missing the files are finalized and the analysis starts in
    /// the background; it reports back through <see cref="ISweepGrain.AnalysisFinished"/>.
    /// </summary>
    Task<AggregatorFinish> Finish(ImmutableArray<string> unplanned);
}
