using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// The optimum at one scale. Learning rates are log2 of the base learning rate; <see cref="Loss"/> is the mean
/// final eval loss over seeds at the grid minimum (nats).
/// </summary>
public sealed record TransferPoint(
    [property: JsonPropertyName("scale")] double Scale,
    [property: JsonPropertyName("log2_lr_grid_min")] double Log2LrGridMin,
    [property: JsonPropertyName("log2_lr_opt")] double Log2LrOpt,
    [property: JsonPropertyName("ci_low")] double CiLow,
    [property: JsonPropertyName("ci_high")] double CiHigh,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("at_grid_edge")] bool AtGridEdge);

/// <summary>
/// Transfer verdict for one parameterization along one scale axis: η* per scale, the least-squares slope of
/// log2 η* against log2 scale (null with fewer than two scales or a non-positive scale), the spread max − min
/// of log2 η*, and whether the spread is within tolerance and the loss at η* falls strictly with scale (both
/// false with fewer than two scales: one scale says nothing about transfer).
/// </summary>
public sealed record TransferResult(
    [property: JsonPropertyName("parameterization")] string Parameterization,
    [property: JsonPropertyName("axis")] string Axis,
    [property: JsonPropertyName("points")] ImmutableArray<TransferPoint> Points,
    [property: JsonPropertyName("slope")] double? Slope,
    [property: JsonPropertyName("spread")] double Spread,
    [property: JsonPropertyName("tolerance_log2")] double ToleranceLog2,
    [property: JsonPropertyName("transfers")] bool Transfers,
    [property: JsonPropertyName("monotonic_improvement")] bool MonotonicImprovement);

/// <summary>The document written as transfer.json.</summary>
public sealed record TransferReport([property: JsonPropertyName("results")] ImmutableArray<TransferResult> Results);
