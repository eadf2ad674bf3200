using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Results;

/// <summary>The aggregator's seam to the results files and the analysis (the Analysis library behind it).</summary>
internal interface IResultStore
{
    /// <summary>
    /// Opens a sweep's results folder for appending. Rows already there that belong to the plan and are final
    /// (not cancelled) are kept and listed in <see cref="IResultSink.Stored"/>; the others are dropped to be re-run.
    /// </summary>
    Task<IResultSink> OpenAsync(string directory, string sweepId, SweepPlan plan, CancellationToken ct);
}

/// <summary>One open results folder.</summary>
internal interface IResultSink : IAsyncDisposable
{
    string Directory { get; }

    /// <summary>Trials stored when the folder was opened.</summary>
    IReadOnlyDictionary<string, TrialStatus> Stored { get; }

    /// <summary>The finite final loss of each stored completed trial, the rung loss of each pruned one.</summary>
    IReadOnlyDictionary<string, double> StoredLosses { get; }

    /// <summary>Buffers rows (a row group at a time they are flushed inline; if that fails, every row stays pending and it throws).</summary>
    Task AddAsync(IReadOnlyList<TrialResult> rows, CancellationToken ct);

    Task FlushAsync(CancellationToken ct);

    /// <summary>Finalizes the files, then runs the transfer analysis and writes the report.</summary>
    Task<AnalysisSummary> FinalizeAsync(CancellationToken ct);
}
