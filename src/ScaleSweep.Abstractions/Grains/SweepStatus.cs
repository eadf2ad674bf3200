using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>Lifecycle of a sweep as <c>status</c> shows it.</summary>
[GenerateSerializer]
public enum SweepState
{
    /// <summary>No sweep was submitted under this id.</summary>
    Unknown,
    Running,
    Completed,
    Cancelled,
}

/// <summary>Trial counts by state; pending + running + the final states = total.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialCounts(
    [property: Id(0)] int Total,
    [property: Id(1)] int Pending,
    [property: Id(2)] int Running,
    [property: Id(3)] int Completed,
    [property: Id(4)] int Diverged,
    [property: Id(5)] int Failed,
    [property: Id(6)] int Cancelled)
{
    /// <summary>Trials a ladder's successive halving stopped at their rung (always 0 without <c>ladder.prune</c>).</summary>
    [Id(7)] public int Pruned { get; init; }

    public static TrialCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public int Final => Completed + Diverged + Failed + Cancelled + Pruned;
}

/// <summary>A leased trial and the last progress its worker reported.</summary>
[GenerateSerializer, Immutable]
public sealed record RunningTrial(
    [property: Id(0)] string Key,
    [property: Id(1)] string Worker,
    [property: Id(2)] int Attempt,
    [property: Id(3)] int Step,
    [property: Id(4)] int TotalSteps,
    [property: Id(5)] double? TrainLoss)
{
    /// <summary>Why the previous attempt ended (lease expired, the trainer's error), for a trial on its second attempt or later.</summary>
    [Id(6)] public string? PreviousError { get; init; }
}

/// <summary>Everything <c>status</c> and <c>watch</c> show about a sweep.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] TrialCounts Counts)
{
    [Id(4)] public ImmutableArray<RunningTrial> Running { get; init; } = [];
    [Id(5)] public DateTimeOffset? SubmittedAt { get; init; }
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Late duplicate results that were dropped.</summary>
    [Id(7)] public long DuplicatesDropped { get; init; }
    /// <summary>Attempts that failed or expired and were retried.</summary>
    [Id(8)] public long Retries { get; init; }
    /// <summary>Trials that were already stored when the sweep was submitted (resume).</summary>
    [Id(9)] public int Resumed { get; init; }
    /// <summary>Results finalized and the analysis finished (or failed, see <see cref="Analysis"/>).</summary>
    [Id(10)] public bool Finalized { get; init; }
    [Id(11)] public AnalysisSummary? Analysis { get; init; }
    /// <summary>Last error per failed trial key.</summary>
    [Id(12)] public ImmutableSortedDictionary<string, string> Errors { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    /// <summary>Best loss so far at each scale value (the transfer axis) per parameterization, with its learning rate.</summary>
    [Id(13)] public ImmutableArray<ScaleBest> Best { get; init; } = [];
    /// <summary>Trials taken over from an earlier results folder at submission (<c>--reuse</c>) instead of run.</summary>
    [Id(16)] public int Reused { get; init; }
    /// <summary>The silo the sweep grain lives on (its <c>--name</c>, else its address): the one whose death costs a failover.</summary>
    [Id(20)] public string? Host { get; init; }
    /// <summary>Why final rows are not reaching the results files right now (e.g. a full disk); null once they do. The rows are kept meanwhile.</summary>
    [Id(25)] public string? ResultsError { get; init; }
    /// <summary>A ladder sweep's trials in the full grid (its <see cref="TrialCounts.Total"/> counts the planned ones); 0 for a grid sweep.</summary>
    [Id(14)] public int GridTrials { get; init; }
    /// <summary>How far each ladder of a ladder sweep has climbed; empty for a grid sweep.</summary>
    [Id(15)] public ImmutableArray<LadderStage> Stages { get; init; } = [];

    public static SweepStatus Unknown(string id) => new(id, "", SweepState.Unknown, TrialCounts.None);
}

/// <summary>
/// The lowest loss (final eval loss, else final train loss) among the completed trials of one parameterization at one
/// value of the scale axis, and the learning rate that reached it. Diverged trials never count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScaleBest(
    [property: Id(0)] string Parameterization,
    [property: Id(1)] string Axis,
    [property: Id(2)] double Scale,
    [property: Id(3)] double Loss,
    [property: Id(4)] double Lr);

/// <summary>
/// Where one ladder of a <c>strategy: ladder</c> sweep stands: <see cref="Opened"/> of its <see cref="Scales"/>
/// scales have trials planned, the largest of them <see cref="Scale"/>; <see cref="Done"/> once the last is settled.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LadderStage(
    [property: Id(0)] string Ladder,
    [property: Id(1)] string Axis,
    [property: Id(2)] double Scale,
    [property: Id(3)] int Opened,
    [property: Id(4)] int Scales,
    [property: Id(5)] bool Done);
