using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Tests;

/// <summary>A ladder's rung leg: the first steps of the full run, on its schedule, evaluated where it stops.</summary>
public class RungLegTests
{
    private readonly TorchTrialRunner runner = new();

    [Fact]
    public void A_rung_leg_is_the_start_of_the_full_run_evaluated_at_the_rung()
    {
        // A cosine schedule: a shorter run would decay faster, a rung leg must not.
        var spec = Trials.Mlp(steps: 40) with { Optim = Trials.Mlp(steps: 40).Optim with { Schedule = "cosine", LogEvery = 1 } };
        var full = runner.Run(spec, null, default);
        var rung = runner.Run(spec, TrialContext.Standalone(spec) with { StopAtStep = 13 }, null, default);
        Assert.Equal(TrialStatus.Completed, rung.Status);
        Assert.Equal(13, rung.Steps);
        Assert.Equal(full.Curve.Where(c => c.Step <= 13).Select(c => (c.TrainLoss, c.Lr)), rung.Curve.Select(c => (c.TrainLoss, c.Lr)));
        Assert.Equal(full.Curve.Single(c => c.Step == 13).TrainLoss, rung.FinalTrainLoss);
        // Step 13 is no eval step of the full run (every 10); the rung evaluates there all the same.
        Assert.NotNull(rung.Curve.Single(c => c.Step == 13).EvalLoss);
        Assert.Equal(rung.Curve.Single(c => c.Step == 13).EvalLoss, rung.FinalEvalLoss);
    }
}
