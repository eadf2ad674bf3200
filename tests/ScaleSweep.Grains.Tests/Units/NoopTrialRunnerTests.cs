using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Tests.Units;

public class NoopTrialRunnerTests
{
    [Fact]
    public void Produces_a_completed_row_with_a_deterministic_loss()
    {
        var spec = TestPlans.Spec("noop", 128, 1.0 / 256, workMs: 5);
        var runner = new NoopTrialRunner();
        var a = runner.Run(spec, null, CancellationToken.None);
        var b = runner.Run(spec, null, CancellationToken.None);
        Assert.Equal(TrialStatus.Completed, a.Status);
        Assert.Equal(TrialKey.For(spec), a.TrialKey);
        Assert.Equal(a.FinalTrainLoss, b.FinalTrainLoss);
        Assert.True(a.WallSeconds >= 0.004);
        Assert.Equal(128, a.Width);
    }

    [Fact]
    public void Honours_cancellation()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var spec = TestPlans.Spec("noop", 64, 0.01, workMs: 30_000);
        Assert.ThrowsAny<OperationCanceledException>(() => new NoopTrialRunner().Run(spec, null, cts.Token));
    }
}
