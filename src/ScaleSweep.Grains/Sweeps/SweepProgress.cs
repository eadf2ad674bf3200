using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>Who holds a trial and until when; <paramref name="Renewed"/> once a renewal of it has arrived (the holder has it).</summary>
[GenerateSerializer, Immutable]
public sealed record LeaseRecord(
    [property: Id(0)] string Worker,
    [property: Id(1)] long LeaseId,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] bool Renewed = false);

/// <summary>The persisted plan of a sweep: written once at submission.</summary>
[GenerateSerializer]
public sealed class SweepPlanState
{
    [Id(0)] public SweepPlan? Plan { get; set; }
    [Id(1)] public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>W3C traceparent of the sweep's span (null when nothing listened): the parent of every trial span.</summary>
    [Id(2)] public string? TraceParent { get; set; }
}

/// <summary>
/// The persisted progress of a sweep: arrays indexed like the plan's trials, so a write stays small (a few bytes
/// per trial, plus the rows not yet in the results files). <see cref="SweepGrain"/> writes it before it answers a
/// call that leased, completed or failed trials, and behind (every flush period) for the rest.
/// </summary>
[GenerateSerializer]
public sealed class SweepProgress
{
    /// <summary>Status by trial index (stored as it was when it was called the phase: same id, same byte values).</summary>
    [Id(0)] public TrialStatus[] Statuses { get; set; } = [];
    [Id(1)] public int[] Attempts { get; set; } = [];
    /// <summary>Last error by trial index.</summary>
    [Id(2)] public Dictionary<int, string> Errors { get; set; } = [];
    [Id(3)] public Dictionary<int, LeaseRecord> Leases { get; set; } = [];
    [Id(4)] public long NextLeaseId { get; set; } = 1;
    [Id(5)] public bool Cancelled { get; set; }
    [Id(6)] public long Duplicates { get; set; }
    [Id(7)] public long Retries { get; set; }
    [Id(8)] public int Resumed { get; set; }
    [Id(9)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(10)] public AnalysisSummary? Analysis { get; set; }
    /// <summary>Best loss per parameterization and scale value among completed results (what <c>watch</c> shows).</summary>
    [Id(11)] public List<ScaleBest> Best { get; set; } = [];
    /// <summary>Trials adopted from an earlier sweep's rows at submission (<see cref="SweepPlan.Reused"/>).</summary>
    [Id(13)] public int Reused { get; set; }
    /// <summary>What a ladder sweep plans from; null for a grid sweep, where every trial is planned.</summary>
    [Id(12)] public LadderProgress? Ladder { get; set; }
    /// <summary>
    /// Final rows not yet flushed to the results files. Persisted with the statuses, so a result is durable once
    /// this state is written, and a host that dies before the files have the row loses nothing.
    /// </summary>
    [Id(14)] public List<TrialResult> Outbox { get; set; } = [];
}

/// <summary>The persisted part of a ladder sweep's book: arrays indexed like the plan's trials.</summary>
[GenerateSerializer]
public sealed class LadderProgress
{
    /// <summary>Planned trials (a trial, once planned, stays planned).</summary>
    [Id(0)] public bool[] Planned { get; set; } = [];
    /// <summary>Final loss (NaN unless completed with a finite loss): what the planner reads.</summary>
    [Id(1)] public double[] Losses { get; set; } = [];

    /// <summary>Loss at the rung (NaN: no rung result yet; +∞: diverged or no finite loss there); what pruning cuts by.</summary>
    [Id(2)] public double[] RungLosses { get; set; } = [];

    /// <summary>A ladder that has planned nothing yet.</summary>
    public static LadderProgress For(int trials) => new()
    {
        Planned = new bool[trials],
        Losses = [.. Enumerable.Repeat(double.NaN, trials)],
        RungLosses = [.. Enumerable.Repeat(double.NaN, trials)],
    };

    public bool Fits(int trials) => Planned.Length == trials && Losses.Length == trials && RungLosses.Length == trials;
}
