using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

public class SweepBookTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 2);
    private static readonly WorkerInfo Gpu = new("gpu-1", "cuda:0", 1);

    private static SweepBook Book(int trials = 4, int maxAttempts = 3, string device = "cpu") =>
        new("s1", TestPlans.Make("book", trials, device: device, maxAttempts: maxAttempts), new SweepProgress(), LeaseFor);

    private static TrialResult Result(TrialLease lease, TrialStatus status = TrialStatus.Completed) =>
        TestRows.For(lease, TrialMeasurements.None(status) with { FinalTrainLoss = 1.0 });

    [Fact]
    public void Leases_each_trial_once_until_it_is_returned()
    {
        var book = Book(trials: 3);
        var first = book.Lease(Cpu, 2, T0);
        var second = book.Lease(Cpu, 5, T0);
        Assert.Equal(2, first.Length);
        Assert.Single(second);
        Assert.Empty(book.Lease(Cpu, 5, T0));
        Assert.Equal(3, first.Concat(second).Select(l => l.Key).Distinct().Count());
        Assert.All(first.Concat(second), l => Assert.Equal(1, l.Attempt));
        Assert.Equal(3, book.Counts().Running);
    }

    [Fact]
    public void First_result_wins_and_a_late_duplicate_is_dropped_and_counted()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.True(book.Complete(Cpu.Id, Result(lease), T0));
        Assert.False(book.Complete("someone-else", Result(lease), T0));
        Assert.Equal(1, book.Progress.Duplicates);
        Assert.Equal(1, book.Counts().Completed);
        Assert.Single(book.Outbox);
        Assert.True(book.AllFinal);
    }

    [Fact]
    public void An_expired_lease_puts_the_trial_back_to_pending_and_counts_the_attempt()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.Equal(RenewVerdict.Ok, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null)], T0 + TimeSpan.FromSeconds(5))[0]);
        Assert.Equal(0, book.ExpireLeases(T0 + TimeSpan.FromSeconds(14)));
        Assert.Equal(1, book.ExpireLeases(T0 + TimeSpan.FromSeconds(16)));
        Assert.Equal(1, book.Counts().Pending);
        Assert.Equal(1, book.Progress.Retries);
        var again = Assert.Single(book.Lease(Gpu, 1, T0 + TimeSpan.FromSeconds(17)));
        Assert.Equal(2, again.Attempt);
        // The old holder is told its lease is gone.
        Assert.Equal(RenewVerdict.Lost, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null)], T0 + TimeSpan.FromSeconds(18))[0]);
    }

    [Fact]
    public void A_retried_trial_says_why_its_previous_attempt_ended_while_it_runs_and_in_its_row()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null, 1)], T0);
        Assert.Equal(1, book.ExpireLeases(T0 + TimeSpan.FromSeconds(11)));
        var again = Assert.Single(book.Lease(Gpu, 1, T0 + TimeSpan.FromSeconds(12)));
        var running = Assert.Single(book.Status("s", T0).Running);
        Assert.Equal("lease expired: worker cpu-1 stopped renewing", running.PreviousError);

        Assert.True(book.Complete(Gpu.Id, Result(again), T0 + TimeSpan.FromSeconds(20)));
        Assert.Equal("attempt 1: lease expired: worker cpu-1 stopped renewing", Assert.Single(book.Outbox).Error);
    }

    [Fact]
    public void A_lease_no_renewal_ever_reached_goes_back_without_counting_an_attempt()
    {
        // The answer carrying the lease was lost with a dying silo: the worker never had it, so it never renewed.
        var book = Book(trials: 1);
        var lost = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.Equal(1, book.ExpireLeases(T0 + TimeSpan.FromSeconds(11)));
        Assert.Equal(0, book.Progress.Retries);
        var again = Assert.Single(book.Lease(Gpu, 1, T0 + TimeSpan.FromSeconds(12)));
        Assert.Equal(1, again.Attempt);
        Assert.Null(Assert.Single(book.Status("s", T0).Running).PreviousError);
        Assert.Equal(RenewVerdict.Lost, book.Renew(Cpu.Id, [new LeaseRenewal(lost.Key, lost.LeaseId, null, 1)], T0 + TimeSpan.FromSeconds(13))[0]);
    }

    [Fact]
    public void A_holder_that_had_the_unrenewed_lease_after_all_adopts_it_back_with_its_attempt()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        book.ExpireLeases(T0 + TimeSpan.FromSeconds(11));
        Assert.Equal(RenewVerdict.Ok, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null, lease.Attempt)], T0 + TimeSpan.FromSeconds(12))[0]);
        Assert.True(book.Complete(Cpu.Id, Result(lease), T0 + TimeSpan.FromSeconds(13)));
        Assert.Equal(0, book.Progress.Retries);
        Assert.Equal(1, Assert.Single(book.Outbox).Attempt);
    }

    [Fact]
    public void A_first_attempt_has_no_retry_reason()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.Null(Assert.Single(book.Status("s", T0).Running).PreviousError);
        Assert.True(book.Complete(Cpu.Id, Result(lease), T0));
        Assert.Null(Assert.Single(book.Outbox).Error);
    }

    [Fact]
    public void A_trial_failing_every_attempt_is_final_failed_with_its_last_error()
    {
        var book = Book(trials: 1, maxAttempts: 2);
        var first = Assert.Single(book.Lease(Cpu, 1, T0));
        book.Fail(Cpu.Id, new TrialFailure(first.Key, first.LeaseId, "boom 1"), T0);
        Assert.Equal(1, book.Counts().Pending);
        var second = Assert.Single(book.Lease(Cpu, 1, T0));
        book.Fail(Cpu.Id, new TrialFailure(second.Key, second.LeaseId, "boom 2"), T0);
        Assert.Equal(1, book.Counts().Failed);
        Assert.True(book.AllFinal);
        var row = Assert.Single(book.Outbox);
        Assert.Equal(TrialStatus.Failed, row.Status);
        Assert.Equal("boom 2", row.Error);
        Assert.Equal(2, row.Attempt);
        Assert.Equal("boom 2", book.Status("book", T0).Errors[first.Key]);
    }

    [Fact]
    public void Cancel_makes_renewals_answer_cancelled_and_every_open_trial_final()
    {
        var book = Book(trials: 3);
        var lease = book.Lease(Cpu, 1, T0)[0];
        book.Cancel(T0);
        Assert.Equal(RenewVerdict.Cancelled, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null)], T0)[0]);
        Assert.Equal(3, book.Counts().Cancelled);
        Assert.Equal(SweepState.Cancelled, book.Status("book", T0).State);
        Assert.Empty(book.Lease(Cpu, 3, T0));
        Assert.Equal(3, book.Outbox.Count);
    }

    [Fact]
    public void Cuda_trials_are_never_leased_to_a_cpu_worker()
    {
        var book = Book(trials: 2, device: "cuda");
        Assert.Empty(book.Lease(Cpu, 2, T0));
        Assert.Equal(2, book.Lease(Gpu, 2, T0).Length);
    }

    [Fact]
    public void A_released_lease_is_pending_again_without_costing_an_attempt()
    {
        var book = Book(trials: 1, maxAttempts: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        book.Release(Cpu.Id, [new LeaseRef(lease.Key, lease.LeaseId)]);
        var again = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public void Renewal_of_a_lease_this_book_forgot_adopts_it_back()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        book.ExpireLeases(T0 + TimeSpan.FromSeconds(11));
        Assert.Equal(RenewVerdict.Ok, book.Renew(Cpu.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, new TrialProgress(3, 10, 1.5))], T0 + TimeSpan.FromSeconds(12))[0]);
        var running = Assert.Single(book.Status("book", T0).Running);
        Assert.Equal(3, running.Step);
        Assert.Equal(1.5, running.TrainLoss);
    }

    [Fact]
    public void Stored_rows_are_final_from_the_start_and_missing_rows_are_rerun()
    {
        var plan = TestPlans.Make("book", 3);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        book.ApplyStored(new Dictionary<string, TrialStatus> { [plan.Trials[0].Key] = TrialStatus.Completed }, T0);
        Assert.Equal(1, book.Counts().Completed);
        Assert.Equal(1, book.Progress.Resumed);
        var leases = book.Lease(Cpu, 5, T0);
        Assert.Equal(2, leases.Length);
        foreach (var l in leases) book.Complete(Cpu.Id, Result(l), T0);
        book.Acknowledge(book.Outbox.Count);
        Assert.True(book.AllFinal);

        // The aggregator restarted and only the resumed row survived: the other two run again.
        book.Reconcile(new Dictionary<string, TrialStatus> { [plan.Trials[0].Key] = TrialStatus.Completed }, T0);
        Assert.Equal(2, book.Counts().Pending);
        Assert.False(book.AllFinal);
    }

    [Fact]
    public void Counts_follow_each_trial_through_every_status_and_survive_a_reload()
    {
        var plan = TestPlans.Make("book", 6, maxAttempts: 1);
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        var leases = book.Lease(Cpu, 5, T0);
        Assert.Equal(new TrialCounts(6, 1, 5, 0, 0, 0, 0), book.Counts());
        book.Complete(Cpu.Id, Result(leases[0]), T0);
        book.Complete(Cpu.Id, Result(leases[1], TrialStatus.Diverged), T0);
        book.Fail(Cpu.Id, new TrialFailure(leases[2].Key, leases[2].LeaseId, "boom"), T0);
        book.Complete(Cpu.Id, Result(leases[3], TrialStatus.Failed), T0);
        Assert.Equal(new TrialCounts(6, 1, 1, 1, 1, 2, 0), book.Counts());
        Assert.Equal(4, book.FinalCount);
        book.Cancel(T0);
        var expected = new TrialCounts(6, 0, 0, 1, 1, 2, 2);
        Assert.Equal(expected, book.Counts());
        Assert.True(book.AllFinal);

        // A new activation counts again from the persisted statuses alone.
        Assert.Equal(expected, new SweepBook("s1", plan, book.Progress, LeaseFor).Counts());
    }

    [Fact]
    public void A_result_row_that_is_not_final_or_not_this_sweeps_is_not_recorded()
    {
        var book = Book(trials: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        Assert.False(book.Complete(Cpu.Id, Result(lease, TrialStatus.Cancelled) with { Status = TrialStatus.Leased }, T0));
        Assert.False(book.Complete(Cpu.Id, Result(lease) with { SweepId = "another-sweep" }, T0));
        Assert.Equal(1, book.Counts().Running);
        Assert.Empty(book.Outbox);
        Assert.True(book.Complete(Cpu.Id, Result(lease), T0));
        // Stored as the worker composed it: the book stamps nothing.
        Assert.Equal(Result(lease), Assert.Single(book.Outbox));
    }

    [Fact]
    public void A_failed_trials_row_is_composed_from_the_plan_with_no_silo_and_no_times()
    {
        var book = Book(trials: 1, maxAttempts: 1);
        var lease = Assert.Single(book.Lease(Cpu, 1, T0));
        book.Fail(Cpu.Id, new TrialFailure(lease.Key, lease.LeaseId, "boom"), T0);
        var expected = TrialRows.Compose(lease.Spec, new TrialAttempt("s1", lease.Key, 1, "", default, default), TrialMeasurements.None(TrialStatus.Failed, "boom"));
        Assert.Equal(expected, Assert.Single(book.Outbox));
    }
}
