using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps.Ladder;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

public class LadderPlannerTests
{
    private static readonly int[] Widths = [64, 128, 256, 512];
    private static readonly int[] Grid = [.. Enumerable.Range(-14, 11)]; // 2^-14 … 2^-4
    private static readonly LadderSettings Settings = new(FullScales: 2, Points: 3);

    private static (SweepPlan Plan, LadderLayout Layout, LadderPlans.Outcomes Outcomes) Setup(string[]? parameterizations = null)
    {
        var plan = LadderPlans.Make(Widths, Grid, seeds: 2, Settings, parameterizations);
        return (plan, LadderLayout.Of(plan), new LadderPlans.Outcomes(plan));
    }

    /// <summary>The log2 learning rates planned at one width (of one parameterization).</summary>
    private static int[] PlannedLrs(SweepPlan plan, LadderDecision decision, int width, string parameterization = "mup") =>
        [.. plan.Trials.Select((t, i) => (t.Spec, Active: decision.Active[i]))
            .Where(t => t.Active && t.Spec.Model.Width == width && t.Spec.Parameterization == parameterization)
            .Select(t => (int)Math.Round(Math.Log2(t.Spec.Optim.Lr))).Distinct().Order()];

    private static void FinishWidths(SweepPlan plan, LadderPlans.Outcomes outcomes, Func<int, double> optimum, params int[] widths)
    {
        for (var i = 0; i < plan.Trials.Length; i++)
        {
            var spec = plan.Trials[i].Spec;
            if (widths.Contains(spec.Model.Width)) outcomes.Finish(i, TrialStatus.Completed, LadderPlans.Bowl(spec, optimum));
        }
    }

    private static Func<TrialSpec, (TrialStatus, double)> Surface(Func<int, double> optimum) => s => (TrialStatus.Completed, LadderPlans.Bowl(s, optimum));

    [Fact]
    public void At_the_start_only_the_full_scales_are_planned_with_the_whole_grid_and_every_seed()
    {
        var (plan, layout, outcomes) = Setup();
        var decision = outcomes.Plan(layout, Settings);
        Assert.Equal(Grid, PlannedLrs(plan, decision, 64));
        Assert.Equal(Grid, PlannedLrs(plan, decision, 128));
        Assert.Empty(PlannedLrs(plan, decision, 256));
        Assert.Equal(2 * Grid.Length * 2, decision.Active.Count(a => a));
        var stage = Assert.Single(decision.Stages);
        Assert.Equal(new LadderStage("mup", "width", 128, 2, 4, false), stage);
    }

    [Fact]
    public void A_later_scale_gets_the_points_centred_on_the_optimum_the_finished_scales_predict()
    {
        var (plan, layout, outcomes) = Setup();
        // η* halves per doubling of width: 2^-6 at 64, 2^-7 at 128, so 2^-8 is predicted at 256.
        FinishWidths(plan, outcomes, w => -6 - Math.Log2(w / 64.0), 64, 128);
        var decision = outcomes.Plan(layout, Settings);
        Assert.Equal([-9, -8, -7], PlannedLrs(plan, decision, 256));
        Assert.Empty(PlannedLrs(plan, decision, 512));
        Assert.Equal(3, decision.Stages[0].Opened);
    }

    [Fact]
    public void A_scale_opens_only_when_every_scale_below_it_is_final()
    {
        var (plan, layout, outcomes) = Setup();
        FinishWidths(plan, outcomes, _ => -8, 64, 128);
        var last = plan.Trials.Select((t, i) => (t, i)).Last(x => x.t.Spec.Model.Width == 128).i;
        outcomes.Statuses[last] = TrialStatus.Leased;
        Assert.Empty(PlannedLrs(plan, outcomes.Plan(layout, Settings), 256));
        // A trial that failed is final too (and counts as the worst loss).
        outcomes.Finish(last, TrialStatus.Failed);
        Assert.Equal([-9, -8, -7], PlannedLrs(plan, outcomes.Plan(layout, Settings), 256));
    }

    [Fact]
    public void A_minimum_on_an_edge_grows_the_window_two_points_that_way_until_it_is_bracketed()
    {
        var (plan, layout, outcomes) = Setup();
        // 256 breaks the law: its optimum is at 2^-11.2, left of the predicted window [-9, -7].
        double Optimum(int w) => w switch { 64 => -6, 128 => -7, 256 => -11.2, _ => -9 };
        var decision = outcomes.RunToEnd(layout, Settings, Surface(Optimum));
        // [-9,-7] → minimum at -9 → [-11,-7] → minimum at -11 → [-13,-7]: -11 bracketed.
        Assert.Equal([-13, -12, -11, -10, -9, -8, -7], PlannedLrs(plan, decision, 256));
        var at512 = PlannedLrs(plan, decision, 512);
        Assert.True(at512[0] < -9 && -9 < at512[^1], $"512's window [{string.Join(", ", at512)}] brackets its optimum -9");
        Assert.True(decision.Stages[0].Done);
    }

    [Fact]
    public void A_window_never_reaches_past_the_grid()
    {
        var (plan, layout, outcomes) = Setup();
        // The line through 2^-12 at 64 and 2^-13.5 at 128 predicts 2^-15 at 256: below the grid's 2^-14.
        double Optimum(int w) => w switch { 64 => -12, 128 => -13.5, _ => -15 };
        FinishWidths(plan, outcomes, Optimum, 64, 128);
        Assert.Equal([-14, -13, -12], PlannedLrs(plan, outcomes.Plan(layout, Settings), 256));
        // Its minimum sits on the grid's lower bound: it cannot grow, so the scale is settled and 512 opens.
        var decision = outcomes.RunToEnd(layout, Settings, Surface(Optimum));
        Assert.Equal([-14, -13, -12], PlannedLrs(plan, decision, 256));
        Assert.Equal([-14, -13, -12], PlannedLrs(plan, decision, 512));
        Assert.True(decision.Stages[0].Done);
    }

    [Fact]
    public void Diverged_trials_count_as_the_worst_loss_so_they_do_not_pull_the_window_towards_them()
    {
        var (plan, layout, outcomes) = Setup();
        FinishWidths(plan, outcomes, w => -6 - Math.Log2(w / 64.0), 64, 128);
        // At 256 the window is [-9, -7]; 2^-7 diverges though the bowl (centred at 2^-7.2) would be lowest there.
        var decision = outcomes.RunToEnd(layout, Settings, s =>
            s.Model.Width == 256 && s.Optim.Lr >= Math.Pow(2, -7) ? (TrialStatus.Diverged, double.NaN)
            : (TrialStatus.Completed, LadderPlans.Bowl(s, w => w == 256 ? -7.2 : -6 - Math.Log2(w / 64.0))));
        Assert.Equal([-9, -8, -7], PlannedLrs(plan, decision, 256));
    }

    [Fact]
    public void A_window_where_every_trial_diverges_grows_towards_smaller_learning_rates()
    {
        var (plan, layout, outcomes) = Setup();
        var decision = outcomes.RunToEnd(layout, Settings, s =>
            s.Model.Width == 256 && s.Optim.Lr > Math.Pow(2, -10) ? (TrialStatus.Diverged, double.NaN)
            : (TrialStatus.Completed, LadderPlans.Bowl(s, w => w == 256 ? -11 : -6 - Math.Log2(w / 64.0))));
        // [-9,-7] all diverged → [-11,-7]: minimum -11 on the edge → [-13,-7]: bracketed.
        Assert.Equal([-13, -12, -11, -10, -9, -8, -7], PlannedLrs(plan, decision, 256));
    }

    [Fact]
    public void Each_parameterization_climbs_its_own_ladder()
    {
        var (plan, layout, outcomes) = Setup(["sp", "mup"]);
        for (var i = 0; i < plan.Trials.Length; i++)
        {
            var spec = plan.Trials[i].Spec;
            if (spec.Parameterization == "sp" && spec.Model.Width <= 128) outcomes.Finish(i, TrialStatus.Completed, LadderPlans.Bowl(spec, _ => -8));
        }
        var decision = outcomes.Plan(layout, Settings);
        Assert.Equal([-9, -8, -7], PlannedLrs(plan, decision, 256, "sp"));
        Assert.Empty(PlannedLrs(plan, decision, 256, "mup"));
        Assert.Equal(["sp", "mup"], decision.Stages.Select(s => s.Ladder));
        Assert.Equal([3, 2], decision.Stages.Select(s => s.Opened));
    }

    [Fact]
    public void A_whole_ladder_finds_each_optimum_with_a_fraction_of_the_grid()
    {
        var (plan, layout, outcomes) = Setup();
        double Optimum(int w) => -6 - Math.Log2(w / 64.0);
        var decision = outcomes.RunToEnd(layout, Settings, Surface(Optimum));
        Assert.Equal([-10, -9, -8], PlannedLrs(plan, decision, 512));
        // 2 full scales of 11 rates + 2 scales of 3 rates, 2 seeds each: 56 of 88 trials.
        Assert.Equal((2 * 11 + 2 * 3) * 2, decision.Active.Count(a => a));
        Assert.Equal(decision.Active, outcomes.Plan(layout, Settings).Active);
    }

    [Fact]
    public void The_window_is_points_wide_and_an_even_count_leans_up()
    {
        double[] grid = [.. Grid.Select(g => (double)g)];
        Assert.Equal((5, 7), LadderPlanner.Window([.. grid], -8.2, 3));
        Assert.Equal((5, 8), LadderPlanner.Window([.. grid], -8, 4));
        Assert.Equal((0, 2), LadderPlanner.Window([.. grid], -30, 3));
        Assert.Equal((8, 10), LadderPlanner.Window([.. grid], 3, 3));
        Assert.Equal((0, 10), LadderPlanner.Window([.. grid], -8, 20));
    }
}

public class LadderPruningTests
{
    private static readonly int[] Grid = [.. Enumerable.Range(-14, 11)];
    private static readonly LadderSettings Settings = new(FullScales: 2, Points: 3) { Prune = new PruneSettings(At: 0.25, Keep: 0.5) };

    [Fact]
    public void Groups_cut_the_worst_half_by_rung_loss_and_keep_at_least_one()
    {
        var prune = new PruneSettings(0.25, 0.5);
        Assert.Equal(5, LadderPruning.CutCount(prune, 11));
        Assert.Equal(1, LadderPruning.CutCount(prune, 3));
        Assert.Equal(0, LadderPruning.CutCount(prune, 1));
        Assert.Equal(1, LadderPruning.CutCount(new PruneSettings(0.25, 0.1), 2));
        Assert.Equal(3, LadderPruning.RungStep(prune, 10));
        Assert.Equal(0, LadderPruning.RungStep(prune, 1));
    }

    [Fact]
    public void Every_trial_of_a_first_window_runs_a_rung_and_waits_for_its_group_before_the_worst_are_cut()
    {
        var plan = LadderPlans.Make([64, 128, 256], Grid, seeds: 2, Settings);
        var layout = LadderLayout.Of(plan);
        var outcomes = new LadderPlans.Outcomes(plan);
        var rung = new double[plan.Trials.Length];
        Array.Fill(rung, double.NaN);
        var start = outcomes.Plan(layout, Settings);
        Assert.All(Enumerable.Range(0, plan.Trials.Length).Where(i => start.Active[i]), i => Assert.Equal(3, start.RungStep[i]));

        // Width 64, seed 0: every rung but one is in: those are held, nothing is cut yet.
        var group = Enumerable.Range(0, plan.Trials.Length).Where(i => plan.Trials[i].Spec is { Seed: 0, Model.Width: 64 }).ToList();
        foreach (var i in group.Skip(1)) rung[i] = LadderPlans.Bowl(plan.Trials[i].Spec, _ => -9);
        var waiting = LadderPlanner.Plan(layout, outcomes.Statuses, outcomes.Losses, Settings, rung);
        Assert.All(group.Skip(1), i => Assert.True(waiting.Held[i]));
        Assert.DoesNotContain(true, waiting.Pruned);

        // The last rung arrives: the five rates furthest from 2^-9 are cut (of -12 and -6, equally far, the later
        // trial of the plan), the six nearest go on in full.
        rung[group[0]] = LadderPlans.Bowl(plan.Trials[group[0]].Spec, _ => -9);
        var decided = LadderPlanner.Plan(layout, outcomes.Statuses, outcomes.Losses, Settings, rung);
        var cut = group.Where(i => decided.Pruned[i]).Select(i => (int)Math.Log2(plan.Trials[i].Spec.Optim.Lr)).Order();
        Assert.Equal([-14, -13, -6, -5, -4], cut);
        Assert.DoesNotContain(true, decided.Held);
        // The other seed's group is untouched.
        Assert.All(Enumerable.Range(0, plan.Trials.Length).Where(i => plan.Trials[i].Spec.Seed == 1), i => Assert.False(decided.Pruned[i]));
    }

    [Fact]
    public void A_diverged_rung_counts_in_the_cut_and_only_the_first_window_of_a_later_scale_is_pruned()
    {
        var plan = LadderPlans.Make([64, 128, 256], Grid, seeds: 1, Settings);
        var layout = LadderLayout.Of(plan);
        var outcomes = new LadderPlans.Outcomes(plan);
        var rung = new double[plan.Trials.Length];
        Array.Fill(rung, double.NaN);
        // Play the ladder: rungs first, then the full runs of the kept trials; 256's optimum (2^-11) is left of its
        // predicted window [-9, -7], so the window grows by [-11, -10], which run without a rung.
        double Optimum(int w) => w switch { 64 => -6, 128 => -7, _ => -11 };
        LadderDecision decision;
        while (true)
        {
            decision = LadderPlanner.Plan(layout, outcomes.Statuses, outcomes.Losses, Settings, rung);
            var ran = false;
            for (var i = 0; i < plan.Trials.Length; i++)
            {
                if (!decision.Active[i] || outcomes.Statuses[i].IsFinal() || decision.Held[i]) continue;
                var spec = plan.Trials[i].Spec;
                if (decision.Pruned[i]) outcomes.Finish(i, TrialStatus.Pruned);
                else if (decision.RungStep[i] > 0 && double.IsNaN(rung[i]))
                {
                    // 2^-4 diverges at 64 before its rung: final at once, and the worst of its group.
                    if (spec.Model.Width == 64 && spec.Optim.Lr == Math.Pow(2, -4)) { rung[i] = double.PositiveInfinity; outcomes.Finish(i, TrialStatus.Diverged); }
                    else rung[i] = LadderPlans.Bowl(spec, Optimum) + 0.5;
                }
                else outcomes.Finish(i, TrialStatus.Completed, LadderPlans.Bowl(spec, Optimum));
                ran = true;
            }
            if (!ran) break;
        }
        int[] Log2Lrs(int width, TrialStatus status) => [.. Enumerable.Range(0, plan.Trials.Length)
            .Where(i => plan.Trials[i].Spec.Model.Width == width && outcomes.Statuses[i] == status)
            .Select(i => (int)Math.Log2(plan.Trials[i].Spec.Optim.Lr)).Order()];
        // 64: 11 rates, 5 cut, one of them the diverged 2^-4: the four next-furthest from 2^-6 are pruned.
        Assert.Equal([-4], Log2Lrs(64, TrialStatus.Diverged));
        Assert.Equal([-14, -13, -12, -11], Log2Lrs(64, TrialStatus.Pruned));
        // 256: its first window [-9, -7] loses its worst (-7) at the rung; -11 and -10 were added in full.
        Assert.Equal([-7], Log2Lrs(256, TrialStatus.Pruned));
        Assert.All(Enumerable.Range(0, plan.Trials.Length).Where(i => plan.Trials[i].Spec.Model.Width == 256 && plan.Trials[i].Spec.Optim.Lr < Math.Pow(2, -9.5)),
            i => Assert.Equal(0, decision.RungStep[i]));
        Assert.Contains(-11, Log2Lrs(256, TrialStatus.Completed));
        Assert.True(decision.Stages[0].Done);
    }
}
