using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>A worker (the trial slots of one silo): its id, device (<c>cpu</c>, <c>cuda:0</c>) and slot count.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Device,
    [property: Id(2)] int Slots)
{
    /// <summary>Trials this worker failed in a row (reset by a success): the scheduler quarantines on it.</summary>
    [Id(3)] public int FailureStreak { get; init; }

    /// <summary>The worker's silo (Orleans' address): when membership declares it dead, its leases are lost at once.</summary>
    [Id(4)] public string? Silo { get; init; }

    /// <summary>True when the worker can run a trial asking for <paramref name="trialDevice"/>.</summary>
    public bool CanRun(string trialDevice) => DeviceKind.CanRun(Device, trialDevice);
}

/// <summary>A trial handed to a worker for a bounded time.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialLease(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Key,
    [property: Id(2)] long LeaseId,
    [property: Id(3)] int Attempt,
    [property: Id(4)] TrialSpec Spec)
{
    /// <summary>W3C traceparent of the sweep's span: the worker's <c>trial</c> span is its child, on any silo.</summary>
    [Id(5)] public string? TraceParent { get; init; }

    /// <summary>
    /// A ladder's rung leg: train only the first this many steps of the full run (same schedule) and report the
    /// measurements there; 0 runs the trial to the end.
    /// </summary>
    [Id(6)] public int StopAtStep { get; init; }
    /// <summary>The sweep's results folder as the sweep's silo resolves it (a command trial's log goes there); null when unknown.</summary>
    [Id(7)] public string? ResultsFolder { get; init; }

    /// <summary>
    /// The pack this trial trains in (<c>resources.pack</c>): the lease id of the pack's first member, shared by every
    /// member; 0 when the trial runs alone. Each member keeps its own lease, renewals and result.
    /// </summary>
    [Id(8)] public long Pack { get; init; }

    /// <summary>True for a lease that takes a slot of its own: a trial alone or the first member of a pack.</summary>
    public bool TakesSlot => Pack == 0 || Pack == LeaseId;

    /// <summary>Slots <paramref name="leases"/> fill: one per pack or unpacked trial.</summary>
    public static int Slots(IEnumerable<TrialLease> leases) => leases.Count(l => l.TakesSlot);
}

/// <summary>What a sweep leased to a worker, and whether the sweep still wants scheduling.</summary>
[GenerateSerializer, Immutable]
public sealed record LeaseGrant(
    [property: Id(0)] ImmutableArray<TrialLease> Leases,
    [property: Id(1)] bool Active);

/// <summary>Names one lease.</summary>
[GenerateSerializer, Immutable]
public sealed record LeaseRef(
    [property: Id(0)] string Key,
    [property: Id(1)] long LeaseId);

/// <summary>
/// A heartbeat for one running (or queued) trial, with its latest progress and the lease's attempt number (0: not
/// said), which a sweep that has let the lease go needs to adopt it back with the right count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LeaseRenewal(
    [property: Id(0)] string Key,
    [property: Id(1)] long LeaseId,
    [property: Id(2)] TrialProgress? Progress,
    [property: Id(3)] int Attempt = 0);

/// <summary>The sweep's answer to a renewal.</summary>
[GenerateSerializer]
public enum RenewVerdict
{
    /// <summary>Lease extended: keep going.</summary>
    Ok,

    /// <summary>The sweep was cancelled: cancel the trial.</summary>
    Cancelled,

    /// <summary>The lease is no longer yours (expired and re-leased, or the trial is final): stop the trial.</summary>
    Lost,
}

/// <summary>One failed attempt of a trial.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialFailure(
    [property: Id(0)] string Key,
    [property: Id(1)] long LeaseId,
    [property: Id(2)] string Error);

/// <summary>How many results a Complete call accepted, and how many were late duplicates.</summary>
[GenerateSerializer, Immutable]
public sealed record CompletionReceipt(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates);
