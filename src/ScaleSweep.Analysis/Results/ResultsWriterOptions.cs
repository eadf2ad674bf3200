namespace ScaleSweep.Analysis.Results;

/// <summary>When a <see cref="ResultsWriter"/> flushes, and what it does with results already in the folder.</summary>
public sealed record ResultsWriterOptions
{
    /// <summary>A flush happens as soon as this many trials are pending (one row group each time).</summary>
    public int RowGroupTrials { get; init; } = 256;

    /// <summary>
    /// Pending trials are flushed at most this long after the first of them arrived, by a background timer.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the timer off (flush only on size, <c>FlushAsync</c> or completion).
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Keep the trials already stored in the folder (a resumed sweep); otherwise the folder's trials.parquet and
    /// curves.parquet start empty.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Trials per row group when the files are compacted on completion (and on resume).</summary>
    public int CompactRowGroupTrials { get; init; } = 8192;

    public static ResultsWriterOptions Default { get; } = new();
}
