using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// The optimum at one scale. Learning rates are log2 of the base learning rate; <see cref="Loss"/> is the mean
/// final eval loss over seeds at the grid minimum (nats). The basin is the log2-LR interval around it where the
/// interpolated mean loss is within 1% of that loss (<see cref="Basin"/>).
/// </summary>
public sealed record TransferPoint(
    [property: JsonPropertyName("scale")] double Scale,
    [property: JsonPropertyName("log2_lr_grid_min")] double Log2LrGridMin,
    [property: JsonPropertyName("log2_lr_opt")] double Log2LrOpt,
    [property: JsonPropertyName("ci_low")] double CiLow,
    [property: JsonPropertyName("ci_high")] double CiHigh,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("at_grid_edge")] bool AtGridEdge,
    [property: JsonPropertyName("basin_low")] double BasinLow,
    [property: JsonPropertyName("basin_high")] double BasinHigh);

/// <summary>log2 η* predicted at <see cref="Target"/> by the weighted fit, with its 95% whole-procedure bootstrap interval.</summary>
public sealed record TransferPrediction(
    [property: JsonPropertyName("target")] double Target,
    [property: JsonPropertyName("log2_lr")] double Log2Lr,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High);

/// <summary>
/// The largest measured scale predicted from the smaller ones: the error of the predicted log2 η* and the loss
/// penalty of training there with it (nats, and relative to the best loss at that scale: 0.01 = 1%).
/// </summary>
public sealed record TransferHoldout(
    [property: JsonPropertyName("scale")] double Scale,
    [property: JsonPropertyName("predicted_log2_lr")] double PredictedLog2Lr,
    [property: JsonPropertyName("measured_log2_lr")] double MeasuredLog2Lr,
    [property: JsonPropertyName("error_log2")] double ErrorLog2,
    [property: JsonPropertyName("loss_penalty")] double LossPenalty,
    [property: JsonPropertyName("loss_penalty_rel")] double LossPenaltyRel);

/// <summary>
/// Transfer analysis of one parameterization along one scale axis: η* per scale, the least-squares slope of
/// log2 η* against log2 scale (null with fewer than two scales or a non-positive scale), the spread max − min
/// of log2 η* and the transfer penalty (largest relative loss cost of using the smallest scale's η* at every
/// scale), each with a whole-procedure seed-bootstrap interval; the verdict (decided by <see cref="Criterion"/>),
/// the prediction at the target scale and the hold-out check. <see cref="Transfers"/> is true only for the verdict
/// <c>transfers</c>; with fewer than two scales the verdict is <c>inconclusive</c>.
/// </summary>
public sealed record TransferResult(
    [property: JsonPropertyName("parameterization")] string Parameterization,
    [property: JsonPropertyName("axis")] string Axis,
    [property: JsonPropertyName("points")] ImmutableArray<TransferPoint> Points,
    [property: JsonPropertyName("slope")] double? Slope,
    [property: JsonPropertyName("spread")] double Spread,
    [property: JsonPropertyName("tolerance_log2")] double ToleranceLog2,
    [property: JsonPropertyName("transfers")] bool Transfers,
    [property: JsonPropertyName("monotonic_improvement")] bool MonotonicImprovement,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("criterion")] string Criterion,
    [property: JsonPropertyName("spread_low")] double? SpreadLow,
    [property: JsonPropertyName("spread_high")] double? SpreadHigh,
    [property: JsonPropertyName("penalty")] double? Penalty,
    [property: JsonPropertyName("penalty_low")] double? PenaltyLow,
    [property: JsonPropertyName("penalty_high")] double? PenaltyHigh,
    [property: JsonPropertyName("tolerance_loss")] double? ToleranceLoss,
    [property: JsonPropertyName("seeds_to_settle")] int? SeedsToSettle,
    [property: JsonPropertyName("prediction")] TransferPrediction? Prediction,
    [property: JsonPropertyName("holdout")] TransferHoldout? Holdout);

/// <summary>The document written as transfer.json.</summary>
public sealed record TransferReport([property: JsonPropertyName("results")] ImmutableArray<TransferResult> Results);
