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

    /// <summary>
    /// Finished rows of an earlier sweep (<c>--reuse</c>) whose keys are trials of this plan, as that sweep stored them:
    /// adopted at submission instead of run. Kept with the plan so a row lost before it reached the files is rebuilt,
    /// not re-run.
    /// </summary>
    [Id(4)] public ImmutableArray<TrialResult> Reused { get; init; } = [];
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
    /// <summary>The ladder of <c>strategy: ladder</c>; null for a full grid (every trial of the plan runs).</summary>
    [Id(4)] public LadderSettings? Ladder { get; init; }
    /// <summary>Values the trials report beyond the fixed columns (a command model's <c>metrics</c>): columns as well.</summary>
    [Id(5)] public ImmutableArray<string> MetricColumns { get; init; } = [];
    /// <summary><c>resources.pack</c>: most trials of one shape a lease hands one slot (<see cref="TrialPacking.SizeFor"/>); 0 = auto.</summary>
    [Id(6)] public int Pack { get; init; } = TrialPacking.Auto;
}

/// <summary>
/// Which scale axis the transfer analysis runs along and how it decides. <see cref="ToleranceLoss"/> set: the
/// transfer penalty decides; null (a spec that sets only <c>tolerance_log2</c>, or settings written before the
/// penalty existed): the spread of log2 η* decides against <see cref="ToleranceLog2"/>, as it always did.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TransferSettings(
    [property: Id(0)] string Axis,
    [property: Id(1)] double ToleranceLog2)
{
    /// <summary>The relative loss penalty a spec without any tolerance is judged with (1%).</summary>
    public const double DefaultToleranceLoss = 0.01;

    /// <summary>Scale at which η* is predicted; null: twice the largest measured scale.</summary>
    [Id(2)] public double? Target { get; init; }

    /// <summary>Largest relative transfer penalty (0.01 = 1%) that still counts as "transfers"; null: the spread decides.</summary>
    [Id(3)] public double? ToleranceLoss { get; init; }
}
