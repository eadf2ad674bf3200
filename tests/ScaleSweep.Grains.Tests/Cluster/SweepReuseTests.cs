using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Cluster;

/// <summary>The sweep grain's own check of reused rows: one that is not the trial of its key refuses the whole plan.</summary>
[Collection(ClusterCollection.Name)]
public class SweepReuseTests(ClusterFixture fx)
{
    [Fact]
    public async Task A_reused_row_that_disagrees_with_its_trial_refuses_the_plan_and_stores_nothing()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("reuse-bad"), 2);
        var trial = plan.Trials[0];
        var row = TrialRows.Compose(trial.Spec, new TrialAttempt("old", trial.Key, 1, "s", TestRows.Started, TestRows.Started),
            TrialMeasurements.None(TrialStatus.Completed));
        var grain = fx.Grains.GetGrain<ISweepGrain>(plan.Name);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.Submit(plan with { Reused = [row with { Seed = 7 }] }));
        Assert.Contains(trial.Key, error.Message);
        Assert.Contains("seed 7", error.Message);
        Assert.Equal(SweepState.Unknown, (await grain.GetStatus()).State);
    }
}
