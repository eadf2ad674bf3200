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
