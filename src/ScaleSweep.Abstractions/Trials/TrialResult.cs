using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// One row of <c>trials.parquet</c>. Property names in snake_case are the Parquet column names
/// (documented in README: a public contract). Losses are mean cross-entropy in nats.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialResult
{
    [Id(0)] public string SweepId { get; init; } = "";
    [Id(1)] public required string TrialKey { get; init; }
    [Id(2)] public required string Parameterization { get; init; }
    [Id(3)] public required string Model { get; init; }
    [Id(4)] public required string Optimizer { get; init; }
    [Id(5)] public int Width { get; init; }
    [Id(6)] public int Depth { get; init; }
    [Id(7)] public int Experts { get; init; }
    [Id(8)] public int ExpertWidth { get; init; }
    [Id(9)] public int TopK { get; init; }
    [Id(10)] public double Lr { get; init; }
    public double Log2Lr => Math.Log2(Lr);
    [Id(11)] public int Seed { get; init; }
    /// <summary>Other swept values (sigma_w2, dropout, batch, ...), each a column of its own.</summary>
    [Id(12)] public ImmutableSortedDictionary<string, double> Extra { get; init; } = ImmutableSortedDictionary<string, double>.Empty;
    [Id(13)] public TrialStatus Status { get; init; }
    [Id(14)] public double? FinalTrainLoss { get; init; }
    [Id(15)] public double? FinalEvalLoss { get; init; }
    [Id(16)] public double? EvalAccuracy { get; init; }
    [Id(17)] public double? BestEvalLoss { get; init; }
    [Id(18)] public int? DivergedAtStep { get; init; }
    /// <summary>Optimizer steps taken.</summary>
    [Id(19)] public int Steps { get; init; }
    /// <summary>Trainable parameter count.</summary>
    [Id(20)] public long Params { get; init; }
    [Id(21)] public double WallSeconds { get; init; }
    [Id(22)] public double SamplesPerSecond { get; init; }
    [Id(23)] public string Silo { get; init; } = "";
    [Id(24)] public int Attempt { get; init; } = 1;
    [Id(25)] public DateTimeOffset StartedAt { get; init; }
    [Id(26)] public DateTimeOffset FinishedAt { get; init; }
    /// <summary>Error message of a failed trial (the nullable `error` column of trials.parquet).</summary>
    [Id(27)] public string? Error { get; init; }
    /// <summary>Loss curve: the rows of <c>curves.parquet</c> for this trial.</summary>
    [Id(28)] public ImmutableArray<CurvePoint> Curve { get; init; } = [];
    /// <summary>The sweep that ran this trial when the row was taken over from an earlier results folder (<c>--reuse</c>); null when run here.</summary>
    [Id(29)] public string? ReusedFrom { get; init; }
}

/// <summary>One row of <c>curves.parquet</c> (with sweep_id and trial_key from the trial).</summary>
[GenerateSerializer, Immutable]
public sealed record CurvePoint(
    [property: Id(0)] int Step,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double? EvalLoss,
    [property: Id(3)] double Lr);
