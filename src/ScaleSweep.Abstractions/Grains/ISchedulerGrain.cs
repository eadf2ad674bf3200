using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>
/// One per cluster (key <see cref="Cluster"/>): the registry of sweeps and workers. Workers ask it for work; it
/// leases from the active sweeps with a fair share each and keeps misbehaving workers in quarantine.
/// </summary>
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    public const long Cluster = 0;

    /// <summary>Called by a sweep when it is submitted (or resumes); idempotent.</summary>
    Task Register(SweepEntry sweep);

    /// <summary>Leases up to <see cref="WorkRequest.Capacity"/> trials across active sweeps.</summary>
    Task<WorkBatch> RequestWork(WorkRequest request);

    /// <summary>
    /// Membership declared these silos (Orleans addresses) dead: every active sweep loses the leases of the workers
    /// that ran there. Idempotent; sent by every silo that sees the death.
    /// </summary>
    Task SilosLost(ImmutableArray<string> silos);

    /// <summary>Every sweep this cluster has seen, newest first.</summary>
    Task<ImmutableArray<SweepEntry>> ListSweeps();

    /// <summary>Workers seen recently, with their quarantine state.</summary>
    Task<ImmutableArray<WorkerEntry>> ListWorkers();
}
