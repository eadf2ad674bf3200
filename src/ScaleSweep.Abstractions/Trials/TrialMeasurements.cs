using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// What a runner measured of one trial: the columns of its row that are neither the spec's configuration nor the
/// attempt's identity (<see cref="TrialRows.Compose"/> puts the three together). Losses are mean cross-entropy in nats.
/// </summary>
public sealed record TrialMeasurements
{
    /// <summary>One of the final statuses; cancelled when the runner's token fired mid-training.</summary>
    public required TrialStatus Status { get; init; }
    public double? FinalTrainLoss { get; init; }
    public double? FinalEvalLoss { get; init; }
    public double? EvalAccuracy { get; init; }
    public double? BestEvalLoss { get; init; }
    public int? DivergedAtStep { get; init; }
    /// <summary>Optimizer steps taken.</summary>
    public int Steps { get; init; }
    /// <summary>Trainable parameter count.</summary>
    public long Params { get; init; }
    public double WallSeconds { get; init; }
    public double SamplesPerSecond { get; init; }
    public string? Error { get; init; }
    public ImmutableArray<CurvePoint> Curve { get; init; } = [];
    /// <summary>Values the trial reported beyond the fixed columns (a command trial's extra final keys), by column name.</summary>
    public ImmutableSortedDictionary<string, double> Metrics { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>A trial that measured nothing of its own: failed or cancelled before any result.</summary>
    public static TrialMeasurements None(TrialStatus status, string? error = null) => new() { Status = status, Error = error };
}
