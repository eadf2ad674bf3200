using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>The sweep book of a ladder sweep: trials are planned as results arrive, and stored rows re-derive the plan.</summary>
public class LadderBookTests
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 64);
    private static readonly int[] Widths = [64, 128, 256, 512];
    private static readonly int[] Grid = [.. Enumerable.Range(-14, 11)];
    private static readonly SweepPlan Plan = LadderPlans.Make(Widths, Grid, seeds: 2);

    // η* halves per doubling of width: 2^-6 at 64 … 2^-9 at 512.
    private static double Loss(TrialSpec spec) => LadderPlans.Bowl(spec, w => -6 - Math.Log2(w / 64.0));

    private static readonly SweepPlan Pruned = LadderPlans.Make(Widths, Grid, seeds: 2, new LadderSettings { Prune = new PruneSettings(0.25, 0.5) });

    private static SweepBook NewBook(SweepProgress? progress = null, SweepPlan? plan = null) => new("s1", plan ?? Plan, progress ?? new SweepProgress(), LeaseFor);

    /// <summary>The worker's row: at a rung, the loss there (higher by a constant) after the rung's steps.</summary>
    private static TrialResult Row(TrialLease lease)
    {
        var loss = Loss(lease.Spec) + (lease.StopAtStep > 0 ? 0.5 : 0);
        return TestRows.For(lease, TrialMeasurements.None(TrialStatus.Completed) with
        {
            FinalEvalLoss = loss,
            FinalTrainLoss = loss,
            Steps = lease.StopAtStep > 0 ? lease.StopAtStep : lease.Spec.Optim.Steps,
        });
    }

    /// <summary>Plays a worker: leases everything pending and completes it, round after round, while <paramref name="more"/> holds.</summary>
    private static List<TrialResult> Drive(SweepBook book, Func<bool>? more = null)
    {
        var rows = new List<TrialResult>();
        while (more?.Invoke() ?? true)
        {
            var leases = book.Lease(Cpu, 1000, T0);
            if (leases.IsEmpty) break;
            foreach (var lease in leases)
            {
                var row = Row(lease);
                Assert.True(book.Complete(Cpu.Id, row, T0));
                rows.Add(row);
            }
        }
        return rows;
    }

    private static HashSet<string> PlannedKeys(SweepBook book, SweepPlan? plan = null) => [.. (plan ?? Plan).Trials.Select(t => t.Key).Where(book.IsPlanned)];

    [Fact]
    public void Trials_are_planned_as_results_arrive_and_the_sweep_ends_when_the_ladder_plans_nothing_more()
    {
        var book = NewBook();
        Assert.Equal(2 * 11 * 2, book.Total);
        Assert.Equal(88, book.GridSize);
        var first = book.Lease(Cpu, 1000, T0);
        Assert.Equal(44, first.Length);
        Assert.All(first, l => Assert.True(l.Spec.Model.Width <= 128));
        foreach (var lease in first.Take(43)) book.Complete(Cpu.Id, Row(lease), T0);
        Assert.Equal(44, book.Total);
        Assert.Empty(book.Lease(Cpu, 1000, T0));
        Assert.False(book.AllFinal);

        // The last result of the full scales opens width 256 with three learning rates around 2^-8.
        book.Complete(Cpu.Id, Row(first[43]), T0);
        Assert.Equal(44 + 6, book.Total);
        Assert.False(book.AllFinal);
        var next = book.Lease(Cpu, 1000, T0);
        Assert.Equal([-9.0, -8, -7], next.Select(l => Math.Log2(l.Spec.Optim.Lr)).Distinct().Order());
        Assert.All(next, l => Assert.Equal(256, l.Spec.Model.Width));
        foreach (var lease in next) book.Complete(Cpu.Id, Row(lease), T0);

        Drive(book);
        Assert.True(book.AllFinal);
        Assert.NotNull(book.Progress.FinishedAt);
        Assert.Equal(56, book.Total);
        Assert.Equal(56, book.Outbox.Count);
        Assert.Equal(88 - 56, book.UnplannedKeys().Length);
        var status = book.Status("ladder", T0);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(56, status.Counts.Total);
        Assert.Equal(56, status.Counts.Completed);
        Assert.Equal(88, status.GridTrials);
        Assert.Equal(new LadderStage("mup", "width", 512, 4, 4, true), Assert.Single(status.Stages));
    }

    [Fact]
    public void Resuming_from_the_stored_rows_re_derives_the_same_plan()
    {
        var original = NewBook();
        var rows = Drive(original);
        Assert.True(original.AllFinal);

        // Every row stored: the new sweep is done at once, with the same planned trials.
        var resumed = NewBook();
        resumed.ApplyStored(rows.ToDictionary(r => r.TrialKey, r => r.Status), T0, rows.ToDictionary(r => r.TrialKey, r => r.FinalEvalLoss!.Value));
        Assert.True(resumed.AllFinal);
        Assert.Equal(56, resumed.Total);
        Assert.Equal(PlannedKeys(original), PlannedKeys(resumed));

        // Only the rows up to width 256 stored: the resumed sweep plans width 512 exactly as the original did.
        var partial = rows.Where(r => r.Width <= 256).ToList();
        var halfway = NewBook();
        halfway.ApplyStored(partial.ToDictionary(r => r.TrialKey, r => r.Status), T0, partial.ToDictionary(r => r.TrialKey, r => r.FinalEvalLoss!.Value));
        Assert.Equal(56, halfway.Total);
        Assert.Equal(partial.Count, halfway.Progress.Resumed);
        var leased = halfway.Lease(Cpu, 1000, T0).Select(l => l.Key).ToHashSet();
        Assert.Equal(rows.Where(r => r.Width == 512).Select(r => r.TrialKey).ToHashSet(), leased);
    }

    [Fact]
    public void A_reloaded_book_keeps_its_plan_and_a_lost_row_is_rerun_without_shrinking_it()
    {
        var book = NewBook();
        Drive(book, () => book.Total < 50);
        Assert.Equal(50, book.Total);

        // Reactivation: the persisted progress gives the same plan and the same pending trials.
        var reloaded = NewBook(book.Progress);
        Assert.Equal(book.Counts(), reloaded.Counts());
        Assert.Equal(PlannedKeys(book), PlannedKeys(reloaded));

        // The rows were flushed (they left the persisted outbox), then the results files lost them: each completed
        // trial runs again, and no trial leaves the plan meanwhile.
        reloaded.Acknowledge(reloaded.Outbox.Count);
        reloaded.Reconcile(new Dictionary<string, TrialStatus>(), T0);
        Assert.Equal(50, reloaded.Total);
        Assert.Equal(50, reloaded.Counts().Pending);
        var rerun = Drive(reloaded);
        Assert.True(reloaded.AllFinal);
        Assert.Equal(56, reloaded.Total);
        Assert.Equal(56, rerun.Count);
    }

    [Fact]
    public void Cancelling_a_ladder_cancels_its_planned_trials_only()
    {
        var book = NewBook();
        var leases = book.Lease(Cpu, 10, T0);
        foreach (var lease in leases) book.Complete(Cpu.Id, Row(lease), T0);
        book.Cancel(T0);
        Assert.True(book.AllFinal);
        Assert.Equal(44, book.Total);
        Assert.Equal(new TrialCounts(44, 0, 0, 10, 0, 0, 34), book.Counts());
        Assert.Equal(44, book.Outbox.Count);
        Assert.Equal(44, book.UnplannedKeys().Length);
    }

    [Fact]
    public void With_pruning_each_group_runs_its_rungs_then_the_worst_are_pruned_and_the_rest_run_in_full()
    {
        var book = NewBook(plan: Pruned);
        var rungs = book.Lease(Cpu, 1000, T0);
        Assert.Equal(44, rungs.Length);
        Assert.All(rungs, l => Assert.Equal(3, l.StopAtStep));

        // Width 64, seed 0 reports its rungs: the trials wait (nothing to lease) until the last one is in.
        var group = rungs.Where(l => l.Spec is { Seed: 0, Model.Width: 64 }).ToList();
        foreach (var lease in group.Skip(1)) Assert.True(book.Complete(Cpu.Id, Row(lease), T0));
        Assert.Empty(book.Lease(Cpu, 1000, T0));
        Assert.Empty(book.Outbox);
        Assert.True(book.Complete(Cpu.Id, Row(group[0]), T0));

        // The five rates furthest from width 64's optimum (2^-6) are pruned with their rung rows; six run in full.
        Assert.Equal(5, book.Counts().Pruned);
        Assert.All(book.Outbox, r => Assert.Equal((TrialStatus.Pruned, 3), (r.Status, r.Steps)));
        Assert.Equal([-14, -13, -12, -11, -10], book.Outbox.Select(r => (int)r.Log2Lr).Order());
        var full = book.Lease(Cpu, 1000, T0);
        Assert.Equal(6, full.Length);
        Assert.All(full, l => Assert.Equal(0, l.StopAtStep));
        // A late copy of a rung result is not mistaken for the full run.
        Assert.False(book.Complete("late-worker", Row(group.First(l => l.Key == full[0].Key)), T0));
        Assert.Equal(1, book.Progress.Duplicates);

        foreach (var lease in full) book.Complete(Cpu.Id, Row(lease), T0);
        foreach (var lease in rungs.Except(group)) book.Complete(Cpu.Id, Row(lease), T0);
        Drive(book);
        Assert.True(book.AllFinal);
        // Full scales: 2 × 2 seeds × 5 pruned of 11; later scales: 2 × 2 seeds × 1 of 3. At 256 the pruned 2^-7
        // ranks as the worst loss, which drags the parabola's vertex to about 2^-8.5; the line then predicts 2^-9.6
        // at 512, whose window [-11, -9] has its minimum (2^-9) on the edge and grows by [-8, -7]: 44 + 6 + 10.
        Assert.Equal(24, book.Counts().Pruned);
        Assert.Equal(60, book.Total);
        Assert.Equal(60, book.Outbox.Count);
        Assert.Equal(60, book.Outbox.Select(r => r.TrialKey).Distinct().Count());

        // Resuming from the rows (a pruned row's loss is its rung's) re-derives the same plan and the same cuts.
        var stored = book.Outbox.ToList();
        var resumed = NewBook(plan: Pruned);
        resumed.ApplyStored(stored.ToDictionary(r => r.TrialKey, r => r.Status), T0,
            stored.Where(r => r.FinalEvalLoss is not null).ToDictionary(r => r.TrialKey, r => r.FinalEvalLoss!.Value));
        Assert.True(resumed.AllFinal);
        Assert.Equal(PlannedKeys(book, Pruned), PlannedKeys(resumed, Pruned));
        Assert.Equal(24, resumed.Counts().Pruned);
    }
}
