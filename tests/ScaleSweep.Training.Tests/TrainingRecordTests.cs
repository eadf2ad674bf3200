using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Tests;

/// <summary>What a trial's training loop measures, step by step, without training anything.</summary>
public class TrainingRecordTests
{
    private static readonly OptimConfig Optim = new("adam", 0.01, Steps: 10, Batch: 8, EvalEvery: 4) { LogEvery = 3, DivergenceFactor = 10 };

    /// <summary>Feeds the record the way the loop does; stops at the first diverged step.</summary>
    private static TrainingRecord Run(OptimConfig optim, params double[] losses)
    {
        var record = new TrainingRecord(optim);
        for (var step = 1; step <= losses.Length; step++)
        {
            var loss = losses[step - 1];
            if (record.Diverges(step, loss, 0.01)) break;
            record.Log(step, loss, 0.01, record.IsEvalStep(step) ? (loss + 0.5, 0.1 * step) : null);
        }
        return record;
    }

    [Fact]
    public void A_completed_trial_keeps_its_last_and_best_evaluation_and_logs_every_log_every_steps_and_each_evaluation()
    {
        var measured = Run(Optim, 3, 2.5, 2, 1.5, 1.4, 1.3, 1.2, 1.6, 1.1, 1.0)
            .Measurements(1234, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2));

        Assert.Equal(TrialStatus.Completed, measured.Status);
        Assert.Equal(10, measured.Steps);
        Assert.Equal(1.0, measured.FinalTrainLoss);
        Assert.Equal(1.5, measured.FinalEvalLoss);
        Assert.Equal(1.0, measured.EvalAccuracy);
        Assert.Equal(1.5, measured.BestEvalLoss);
        Assert.Null(measured.DivergedAtStep);
        Assert.Equal(1234, measured.Params);
        Assert.Equal(3, measured.WallSeconds);
        Assert.Equal(10 * 8 / 2.0, measured.SamplesPerSecond);
        // Step 1, every 3rd step, and the evaluations at 4, 8 and the last step.
        Assert.Equal([1, 3, 4, 6, 8, 9, 10], measured.Curve.Select(c => c.Step));
        Assert.Equal([null, null, 2.0, null, 2.1, null, 1.5], measured.Curve.Select(c => c.EvalLoss));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(30.1)]
    public void A_diverged_trial_stops_at_its_step_and_keeps_no_eval_loss_to_compare(double blowUp)
    {
        var measured = Run(Optim, 3, 2.5, 2, 1.5, 1.4, blowUp, 1.2).Measurements(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(TrialStatus.Diverged, measured.Status);
        Assert.Equal(6, measured.DivergedAtStep);
        Assert.Equal(6, measured.Steps);
        Assert.Equal(blowUp, measured.FinalTrainLoss);
        Assert.Null(measured.FinalEvalLoss);
        Assert.Null(measured.EvalAccuracy);
        Assert.Equal(2.0, measured.BestEvalLoss);
        Assert.Equal(new CurvePoint(6, blowUp, null, 0.01), measured.Curve[^1]);
    }

    [Fact]
    public void Exactly_the_divergence_factor_times_the_first_loss_is_not_diverged()
    {
        Assert.Equal(TrialStatus.Completed, Run(Optim with { Steps = 2 }, 3, 30).Measurements(1, default, default).Status);
    }

    [Fact]
    public void A_cancelled_trial_counts_the_steps_it_finished_and_no_time_means_no_throughput()
    {
        var record = Run(Optim, 3, 2.5);
        record.Cancel();
        var measured = record.Measurements(1, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        Assert.Equal(TrialStatus.Cancelled, measured.Status);
        Assert.Equal(2, measured.Steps);
        Assert.Equal(0, measured.SamplesPerSecond);
    }
}
