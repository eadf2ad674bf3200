using System.Collections.Immutable;
using Orleans.Concurrency;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>
/// One sweep (keyed by sweep id): owns the plan and every trial's state, hands out leases, collects results.
/// Workers talk to it through <see cref="ISchedulerGrain"/> for leases and directly for renew/complete/fail.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep. Trials whose results are already stored in the output folder are final from the start.
    /// Submitting the same plan again is a no-op; a different plan under the same id is refused.
    /// </summary>
    Task<SweepStatus> Submit(SweepPlan plan);

    /// <summary>Cancels every trial that is not final; running trials learn it at their next renewal.</summary>
    Task<SweepStatus> Cancel();

    Task<SweepStatus> GetStatus();

    /// <summary>Leases up to <paramref name="max"/> pending trials the worker's device can run.</summary>
    /// <remarks>Short timeout: the scheduler asks every active sweep, and one whose silo just died must not hold up the others.</remarks>
    [ResponseTimeout("00:00:05")]
    Task<LeaseGrant> Lease(WorkerInfo worker, int max);

    /// <summary>Extends the worker's leases and records their progress; one verdict per renewal, in order.</summary>
    /// <remarks>Short timeout: a heartbeat that cannot get through is retried next period (a lease lasts several).</remarks>
    [ResponseTimeout("00:00:05")]
    Task<ImmutableArray<RenewVerdict>> Renew(string workerId, ImmutableArray<LeaseRenewal> renewals);

    /// <summary>Final results. The first result for a key wins; later ones are dropped and counted.</summary>
    Task<CompletionReceipt> Complete(string workerId, ImmutableArray<TrialResult> results);

    /// <summary>A trial attempt threw: retried until max_attempts, then final <c>failed</c> with this error.</summary>
    Task Fail(string workerId, TrialFailure failure);

    /// <summary>Gives leases back unfinished (worker shutting down): pending again, no attempt counted.</summary>
    Task Release(string workerId, ImmutableArray<LeaseRef> leases);

    /// <summary>
    /// The silo of these workers was declared dead: their leases end now (attempt counted, reason "silo lost"), so
    /// the trials run again without waiting for the leases to expire and no longer count as running.
    /// </summary>
    Task WorkersLost(ImmutableArray<string> workerIds);

    /// <summary>From the aggregator: results are finalized and the transfer analysis ran (or failed).</summary>
    [OneWay]
    Task AnalysisFinished(AnalysisSummary summary);
}
