using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>The best loss per scale that the sweep keeps for <c>watch</c>.</summary>
public class ScaleBestTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 8);

    [Fact]
    public void The_lowest_completed_loss_per_width_wins_with_its_lr_and_diverged_trials_never_count()
    {
        // 8 trials: widths 64..512 at lr 2^-4, then again at 2^-5.
        var book = new SweepBook("s1", TestPlans.Make("best", 8), new SweepProgress(), TimeSpan.FromSeconds(10));
        var leases = book.Lease(Cpu, 8, T0);
        double Loss(TrialLease l) => l.Spec.Optim.Lr > 0.05 ? 2.0 : 0.5 + 64.0 / l.Spec.Model.Width;
        foreach (var lease in leases)
        {
            var diverged = lease.Spec.Model.Width == 512 && lease.Spec.Optim.Lr < 0.05;
            var row = TestRows.For(lease, new TrialMeasurements
            {
                Status = diverged ? TrialStatus.Diverged : TrialStatus.Completed,
                FinalEvalLoss = diverged ? 0.001 : Loss(lease),
                FinalTrainLoss = 9,
            });
            book.Complete(Cpu.Id, row, T0);
        }

        var best = book.Status("best", T0).Best;
        Assert.Equal([64.0, 128, 256, 512], best.Select(b => b.Scale));
        Assert.All(best, b => Assert.Equal(("mup", "width"), (b.Parameterization, b.Axis)));
        Assert.Equal([1.5, 1.0, 0.75], best.Take(3).Select(b => b.Loss));
        Assert.All(best.Take(3), b => Assert.Equal(Math.Pow(2, -5), b.Lr));
        // At 512 only the lr 2^-4 trial completed; the diverged one's tiny loss is not a result.
        Assert.Equal((2.0, Math.Pow(2, -4)), (best[3].Loss, best[3].Lr));
    }
}
