using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary><see cref="SweepBook.Adopt"/>: an earlier sweep's rows (<c>--reuse</c>) are final from the start and never run.</summary>
public class SweepBookAdoptionTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 2);

    private static TrialResult EarlierRow(PlannedTrial trial, TrialStatus status, double loss, string sweep = "old-sweep") =>
        TrialRows.Compose(trial.Spec, new TrialAttempt(sweep, trial.Key, 2, "old-silo", T0.AddDays(-1), T0.AddDays(-1).AddSeconds(3)),
            TrialMeasurements.None(status) with { FinalTrainLoss = loss, FinalEvalLoss = loss });

    [Fact]
    public void Completed_and_diverged_rows_are_adopted_as_this_sweeps_and_only_the_rest_runs()
    {
        var basePlan = TestPlans.Make("book", 5);
        var t = basePlan.Trials;
        var plan = basePlan with
        {
            Reused =
            [
                EarlierRow(t[0], TrialStatus.Completed, 1.25),
                EarlierRow(t[1], TrialStatus.Diverged, double.NaN),
                EarlierRow(t[2], TrialStatus.Failed, double.NaN),
                // Reused once already: it still names the sweep that ran it.
                EarlierRow(t[3], TrialStatus.Completed, 1.5) with { ReusedFrom = "first-sweep" },
                EarlierRow(t[4], TrialStatus.Completed, 1.75),
            ],
        };
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        // Trial 4 is stored in the output folder already (run --resume): its own row stays, nothing adopted for it.
        book.ApplyStored(new Dictionary<string, TrialStatus> { [t[4].Key] = TrialStatus.Completed }, T0);

        book.Adopt(T0);

        Assert.Equal(new TrialCounts(5, 1, 0, 3, 1, 0, 0), book.Counts());
        Assert.Equal(3, book.Progress.Reused);
        Assert.Equal(3, book.Status("book", T0).Reused);
        Assert.Equal(1, book.Progress.Resumed);
        var rows = book.Outbox.ToDictionary(r => r.TrialKey);
        Assert.Equal(new[] { t[0].Key, t[1].Key, t[3].Key }.Order(), rows.Keys.Order());
        Assert.All(rows.Values, r => Assert.Equal("s1", r.SweepId));
        Assert.Equal("old-sweep", rows[t[0].Key].ReusedFrom);
        Assert.Equal("old-sweep", rows[t[1].Key].ReusedFrom);
        Assert.Equal("first-sweep", rows[t[3].Key].ReusedFrom);
        Assert.Equal(1.25, rows[t[0].Key].FinalEvalLoss);
        Assert.Equal(T0.AddDays(-1), rows[t[0].Key].StartedAt);
        Assert.Equal("old-silo", rows[t[0].Key].Silo);
        Assert.Equal(TrialStatus.Diverged, rows[t[1].Key].Status);
        // The best-so-far that watch shows counts the adopted result.
        Assert.Contains(book.Status("book", T0).Best, b => b.Loss == 1.25);

        // Only the failed one is leased; its row is this sweep's own.
        var lease = Assert.Single(book.Lease(Cpu, 5, T0));
        Assert.Equal(t[2].Key, lease.Key);
        book.Complete(Cpu.Id, TestRows.For(lease), T0);
        Assert.True(book.AllFinal);
        Assert.Null(book.Outbox.Single(r => r.TrialKey == t[2].Key).ReusedFrom);

        // A new activation counts the same from the persisted progress.
        var reloaded = new SweepBook("s1", plan, book.Progress, LeaseFor);
        Assert.Equal(book.Counts(), reloaded.Counts());
        Assert.Equal(3, reloaded.Status("book", T0).Reused);
    }

    [Fact]
    public void An_adopted_row_lost_before_it_was_stored_is_rebuilt_not_run()
    {
        var basePlan = TestPlans.Make("book", 2);
        var plan = basePlan with { Reused = [EarlierRow(basePlan.Trials[0], TrialStatus.Completed, 1.25)] };
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        book.Adopt(T0);
        var lease = Assert.Single(book.Lease(Cpu, 5, T0));
        book.Complete(Cpu.Id, TestRows.For(lease), T0);
        book.Acknowledge(book.Outbox.Count);

        // The aggregator restarted and lost both rows: the run trial runs again, the adopted one is shipped again.
        book.Reconcile(new Dictionary<string, TrialStatus>(), T0);

        Assert.Equal(1, book.Counts().Pending);
        var row = Assert.Single(book.Outbox);
        Assert.Equal(basePlan.Trials[0].Key, row.TrialKey);
        Assert.Equal("old-sweep", row.ReusedFrom);
        Assert.Equal("s1", row.SweepId);
        Assert.Equal(1, book.Progress.Reused);
    }

    [Fact]
    public void A_plan_whose_every_trial_is_reused_is_finished_at_submission()
    {
        var basePlan = TestPlans.Make("book", 2);
        var plan = basePlan with { Reused = [.. basePlan.Trials.Select(p => EarlierRow(p, TrialStatus.Completed, 1.0))] };
        var book = new SweepBook("s1", plan, new SweepProgress(), LeaseFor);
        book.Adopt(T0);
        Assert.True(book.AllFinal);
        Assert.Equal(T0, book.Progress.FinishedAt);
        Assert.Empty(book.Lease(Cpu, 5, T0));
    }
}
