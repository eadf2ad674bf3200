using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Tests;

public class TrainerTests
{
    private readonly TorchTrialRunner runner = new();

    [Fact]
    public void Same_config_and_seed_gives_bit_identical_loss_and_another_seed_does_not()
    {
        var spec = Trials.Mlp(steps: 40);
        var first = runner.Run(spec, null, default);
        var second = runner.Run(spec, null, default);
        var otherSeed = runner.Run(spec with { Seed = 1 }, null, default);
        Assert.Equal(TrialStatus.Completed, first.Status);
        Assert.Equal(first.FinalTrainLoss, second.FinalTrainLoss);
        Assert.Equal(first.FinalEvalLoss, second.FinalEvalLoss);
        Assert.Equal(first.Curve.Select(c => c.TrainLoss), second.Curve.Select(c => c.TrainLoss));
        Assert.NotEqual(first.FinalTrainLoss, otherSeed.FinalTrainLoss);
    }

    [Fact]
    public void Training_reduces_the_loss_and_fills_the_result()
    {
        var result = runner.RunAlone(Trials.Mlp(steps: 200, lr: 3e-3), null, default);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.Equal(200, result.Steps);
        Assert.True(result.FinalEvalLoss < 0.8 * Math.Log(10), $"eval loss {result.FinalEvalLoss}");
        Assert.True(result.EvalAccuracy > 0.5, $"accuracy {result.EvalAccuracy}");
        Assert.True(result.SamplesPerSecond > 0);
        Assert.Equal(64L * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10, result.Params);
        Assert.Equal(TrialKey.For(Trials.Mlp(steps: 200, lr: 3e-3)), result.TrialKey);
        Assert.Contains(result.Curve, c => c.EvalLoss is not null);
        Assert.Equal(result.BestEvalLoss, result.Curve.Where(c => c.EvalLoss is not null).Min(c => c.EvalLoss));
    }

    [Fact]
    public void A_huge_learning_rate_diverges_with_a_step_and_no_exception()
    {
        var result = runner.Run(Trials.Mlp("sp", optimizer: "sgd", lr: 1e4, steps: 50), null, default);
        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.NotNull(result.DivergedAtStep);
        Assert.InRange(result.DivergedAtStep!.Value, 1, 50);
        Assert.Equal(result.DivergedAtStep, result.Steps);
        Assert.Null(result.FinalEvalLoss);
    }

    [Fact]
    public void Cancellation_stops_the_loop_and_reports_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var result = runner.Run(Trials.Mlp(steps: 10_000), p =>
        {
            seen = p.Step;
            if (p.Step == 5) cts.Cancel();
        }, cts.Token);
        Assert.Equal(TrialStatus.Cancelled, result.Status);
        Assert.Equal(5, result.Steps);
        Assert.Equal(5, seen);
    }

    [Fact]
    public void Progress_reports_every_step()
    {
        var steps = new List<int>();
        runner.Run(Trials.Mlp(steps: 12), p => steps.Add(p.Step), default);
        Assert.Equal(Enumerable.Range(1, 12), steps);
    }

    [Fact]
    public void Mup_mlp_reaches_80_percent_on_fashion_mnist_after_one_epoch_and_repeats_exactly()
    {
        // Width 256, depth 2, Adam, lr 1e-3, batch 128: 469 steps is one epoch of the 60,000 training images.
        var spec = Trials.Mlp("mup", width: 256, depth: 2, lr: 1e-3, steps: 469, data: "fashion-mnist") with
        {
            Optim = new OptimConfig("adam", 1e-3, 469, 128, EvalEvery: 0),
        };
        var first = runner.Run(spec, null, default);
        Assert.Equal(TrialStatus.Completed, first.Status);
        Assert.True(first.EvalAccuracy >= 0.80, $"eval accuracy {first.EvalAccuracy:P2} after one epoch");
        Assert.Equal(first.FinalEvalLoss, runner.Run(spec, null, default).FinalEvalLoss);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void Every_optimizer_trains(string optimizer)
    {
        var result = runner.Run(Trials.Mlp("mup", optimizer: optimizer, lr: optimizer == "sgd" ? 0.1 : 3e-3, steps: 100), null, default);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.True(result.FinalEvalLoss < Math.Log(10) - 0.2, $"{optimizer}: eval loss {result.FinalEvalLoss}");
    }
}
