namespace ScaleSweep.Analysis.Transfer;

/// <summary>Knobs of the transfer analysis; the defaults are what transfer.json is computed with.</summary>
public sealed record TransferOptions
{
    /// <summary>Bootstrap resamples of the seeds at each scale.</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Base seed of the bootstrap RNG: the interval is a deterministic function of the data.</summary>
    public int BootstrapSeed { get; init; } = 20_240_601;

    /// <summary>Lower and upper percentile of the bootstrap interval (2.5 / 97.5: a 95% interval).</summary>
    public double LowerPercentile { get; init; } = 2.5;

    public double UpperPercentile { get; init; } = 97.5;

    /// <summary>Interval widths (log2) below this count as this much when η* are weighted for the fit.</summary>
    public double MinIntervalWidth { get; init; } = 0.25;

    /// <summary>The basin holds the learning rates whose mean loss is within this fraction of the best (0.01 = 1%).</summary>
    public double BasinFraction { get; init; } = 0.01;

    public static TransferOptions Default { get; } = new();
}
