using Orleans.Serialization;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>
/// A result is acknowledged once the progress is stored, so the stored progress must carry every row the results
/// files do not have yet: a new activation (the host died) loads it and neither loses nor re-runs those trials.
/// </summary>
public class SweepBookDurabilityTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 2);

    private static readonly Serializer Serializer = SweepProgressStorageTests.Serializer();

    /// <summary>What a new activation reads back: the progress as storage holds it.</summary>
    private static SweepProgress Stored(SweepProgress progress) => Serializer.Deserialize<SweepProgress>(Serializer.SerializeToArray(progress))!;

    private static TrialResult Result(TrialLease lease, string worker) =>
        TestRows.For(lease, TrialMeasurements.None(TrialStatus.Completed) with { FinalTrainLoss = 1.0 }, worker);

    [Fact]
    public void A_result_not_yet_in_the_files_survives_a_new_activation_and_is_not_run_again()
    {
        var plan = TestPlans.Make("durable", 3);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var leases = book.Lease(Cpu, 3, T0);
        Assert.True(book.Complete(Cpu.Id, Result(leases[0], Cpu.Id), T0));

        // The host dies before the row reached the aggregator; the next activation finds nothing in the files.
        var next = new SweepBook("s1", plan, Stored(book.Progress), LeaseFor);
        next.RefreshLeases(T0);
        next.Reconcile(new Dictionary<string, TrialStatus>(), T0);

        var row = Assert.Single(next.Outbox);
        Assert.Equal(leases[0].Key, row.TrialKey);
        Assert.Equal(1, next.Counts().Completed);
        Assert.Equal(2, next.Counts().Running);
        Assert.Equal(0, next.Counts().Pending);
        Assert.Empty(next.Lease(Cpu, 3, T0));
    }

    [Fact]
    public void Rows_flushed_to_the_files_leave_the_stored_outbox()
    {
        var plan = TestPlans.Make("durable", 2);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var leases = book.Lease(Cpu, 2, T0);
        book.Complete(Cpu.Id, Result(leases[0], Cpu.Id), T0);
        book.Complete(Cpu.Id, Result(leases[1], Cpu.Id), T0);
        book.Dirty = false;

        book.Acknowledge(1);

        Assert.True(book.Dirty);
        Assert.Equal([leases[1].Key], Stored(book.Progress).Outbox.Select(r => r.TrialKey));
    }

    [Fact]
    public void A_result_sent_again_by_its_worker_is_not_a_duplicate_but_another_attempts_result_is()
    {
        var plan = TestPlans.Make("durable", 1, maxAttempts: 3);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var first = Assert.Single(book.Lease(Cpu, 1, T0));
        // The first attempt's lease expires after a renewal; the second attempt finishes first.
        book.Renew(Cpu.Id, [new LeaseRenewal(first.Key, first.LeaseId, null, first.Attempt)], T0);
        book.ExpireLeases(T0 + LeaseFor);
        var second = Assert.Single(book.Lease(new WorkerInfo("cpu-2", "cpu", 1), 1, T0 + LeaseFor));
        Assert.True(book.Complete("cpu-2", Result(second, "cpu-2"), T0 + LeaseFor));

        // Its worker got no answer (the call failed after the record) and sends the same result again.
        Assert.False(book.Complete("cpu-2", Result(second, "cpu-2"), T0 + LeaseFor));
        Assert.Equal(0, book.Progress.Duplicates);
        // The first attempt's late result ran the trial a second time: a duplicate.
        Assert.False(book.Complete(Cpu.Id, Result(first, Cpu.Id), T0 + LeaseFor));
        Assert.Equal(1, book.Progress.Duplicates);
        Assert.Single(book.Outbox);
    }

    [Fact]
    public void A_lease_that_expired_during_a_failover_and_is_adopted_back_counts_no_retry()
    {
        var plan = TestPlans.Make("durable", 1);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        // The holder renewed, then its renewals were stuck on the dead host for longer than the lease.
        book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null, lease.Attempt)], T0);
        book.ExpireLeases(T0 + LeaseFor);
        Assert.Equal(1, book.Progress.Retries);

        Assert.Equal(RenewVerdict.Ok, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null)], T0 + LeaseFor)[0]);
        Assert.True(book.Complete(Cpu.Id, Result(lease, Cpu.Id), T0 + LeaseFor));

        // The trial ran once: the counter agrees with the row's attempt.
        Assert.Equal(0, book.Progress.Retries);
        Assert.Equal(1, Assert.Single(book.Outbox).Attempt);
    }

    [Fact]
    public void A_failure_sent_again_after_an_unacknowledged_report_counts_once()
    {
        var plan = TestPlans.Make("durable", 1, maxAttempts: 3);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        var failure = new TrialFailure(lease.Key, lease.LeaseId, "CUDA out of memory");

        book.Fail(Cpu.Id, failure, T0);
        book.Fail(Cpu.Id, failure, T0);

        Assert.Equal(1, book.Progress.Retries);
        Assert.Equal(1, book.Counts().Pending);
        var again = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.Equal(2, again.Attempt);
        Assert.Equal("CUDA out of memory", Assert.Single(book.Status("durable", T0).Running).PreviousError);
    }
}
