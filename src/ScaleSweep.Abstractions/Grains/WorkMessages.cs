using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>A worker asking for up to <see cref="Capacity"/> trials.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkRequest(
    [property: Id(0)] WorkerInfo Worker,
    [property: Id(1)] int Capacity)
{
    /// <summary>Long poll: when no sweep has work, wait up to this long for one to be submitted before answering.</summary>
    [Id(2)] public TimeSpan MaxWait { get; init; }
}

/// <summary>The scheduler's answer: leases, or a quarantine notice (then no leases until it lifts).</summary>
[GenerateSerializer, Immutable]
public sealed record WorkBatch(
    [property: Id(0)] ImmutableArray<TrialLease> Leases,
    [property: Id(1)] DateTimeOffset? QuarantinedUntil)
{
    public static WorkBatch Empty { get; } = new([], null);
}

/// <summary>A sweep in the scheduler's registry.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset SubmittedAt);

/// <summary>A worker the scheduler has seen.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerEntry(
    [property: Id(0)] WorkerInfo Worker,
    [property: Id(1)] DateTimeOffset LastSeen,
    [property: Id(2)] DateTimeOffset? QuarantinedUntil);
