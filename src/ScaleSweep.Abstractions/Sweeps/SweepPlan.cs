using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Sweeps;

/// <summary>
/// A validated, expanded sweep: what a client submits and what the sweep grain persists. Expansion of the
/// YAML spec happens before submission, so every silo sees the same trials with the same keys.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepPlan(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableArray<PlannedTrial> Trials,
    [property: Id(2)] SweepSettings Settings)
{
    /// <summary>The spec's YAML text, kept for the report.</summary>
    [Id(3)] public string SpecYaml { get; init; } = "";
}

/// <summary>One trial of a plan with its deterministic key.</summary>
[GenerateSerializer, Immutable]
public sealed record PlannedTrial(
    [property: Id(0)] string Key,
    [property: Id(1)] TrialSpec Spec);

/// <summary>Sweep-wide settings from the spec.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSettings(
    [property: Id(0)] int MaxAttempts,
    [property: Id(1)] TransferSettings Transfer)
{
    /// <summary>Results folder (relative to the results root in cluster mode).</summary>
    [Id(2)] public string? Output { get; init; }
    /// <summary>Names of the swept grid keys, in spec order (width, lr, seed, ...).</summary>
    [Id(3)] public ImmutableArray<string> SweptKeys { get; init; } = [];
    /// <summary>Values the trials report beyond the fixed columns (a command model's <c>metrics</c>): columns as well.</summary>
    [Id(4)] public ImmutableArray<string> MetricColumns { get; init; } = [];
}

/// <summary>Which scale axis the transfer verdict is computed along, and the tolerance in log2 units.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferSettings(
    [property: Id(0)] string Axis,
    [property: Id(1)] double ToleranceLog2);
