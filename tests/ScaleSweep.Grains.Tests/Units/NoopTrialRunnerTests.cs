using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Tests.Units;

public class NoopTrialRunnerTests
{
    [Fact]
    public void Measures_a_completed_trial_with_a_deterministic_loss()
    {
        var spec = TestPlans.Spec("noop", 128, 1.0 / 256, workMs: 5);
        var runner = new NoopTrialRunner();
        var a = runner.Run(spec, null, CancellationToken.None);
        var b = runner.Run(spec, null, CancellationToken.None);
        Assert.Equal(TrialStatus.Completed, a.Status);
        Assert.Equal(NoopTrialRunner.FakeLoss(spec), a.FinalTrainLoss);
        Assert.Equal(a.FinalTrainLoss, b.FinalTrainLoss);
        Assert.True(a.WallSeconds >= 0.004);
    }

    [Fact]
    public void Honours_cancellation()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var spec = TestPlans.Spec("noop", 64, 0.01, workMs: 30_000);
        Assert.ThrowsAny<OperationCanceledException>(() => new NoopTrialRunner().Run(spec, null, cts.Token));
    }

    [Fact]
    public async Task A_gate_lets_exactly_its_passes_through_and_holds_the_rest_until_its_file_exists()
    {
        var folder = Directory.CreateTempSubdirectory("noop-gate");
        try
        {
            var gate = Path.Combine(folder.FullName, "gate");
            var spec = TestPlans.Spec("noop", 64, 0.01, workMs: 0);
            spec = spec with { Model = spec.Model with { Gate = gate, GatePasses = 3 } };
            var runner = new NoopTrialRunner();
            using var stop = new CancellationTokenSource();
            var trials = Enumerable.Range(0, 8).Select(_ => Task.Run(() => runner.Run(spec, null, stop.Token))).ToArray();

            // Exactly three finish; the other five stay held (checked once the three are done, with no timing).
            var passed = new List<Task<TrialMeasurements>>();
            while (passed.Count < 3)
            {
                var done = await Task.WhenAny(trials.Except(passed));
                passed.Add((Task<TrialMeasurements>)done);
            }
            Assert.All(passed, t => Assert.Equal(TrialStatus.Completed, t.Result.Status));
            Assert.Equal(3, Directory.GetFiles(folder.FullName, "gate.pass-*").Length);
            Assert.Equal(5, trials.Count(t => !t.IsCompleted));

            File.WriteAllText(gate, "");
            var results = await Task.WhenAll(trials);
            Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Status));

            // A held trial is cancellable.
            var held = spec with { Model = spec.Model with { Gate = gate + ".closed", GatePasses = 0 } };
            var waiting = Task.Run(() => runner.Run(held, null, stop.Token));
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        finally { folder.Delete(recursive: true); }
    }
}
