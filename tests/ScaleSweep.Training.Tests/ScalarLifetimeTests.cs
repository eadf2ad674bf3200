using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Diagnostics;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Tensors;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// Training gives the same bits while another thread collects garbage without pause. A number passed to a tensor
/// op as a temporary TorchSharp Scalar can be finalized by such a collection while libtorch still reads it (see
/// ScalarOperands); this test makes that race likely on every op, so a temporary Scalar left anywhere in the
/// training path shows up here as a different loss, a NaN or an error.
/// </summary>
public class ScalarLifetimeTests
{
    public static TheoryData<string, TrialSpec> Trials => new()
    {
        { "mlp μP adam", ScaleSweep.Training.Tests.Trials.Mlp("mup", width: 128, steps: 25) },
        { "mlp μP sgd", ScaleSweep.Training.Tests.Trials.Mlp("mup", width: 128, optimizer: "sgd", lr: 0.1, steps: 25) },
        { "resnet depth-μP adamw", ScaleSweep.Training.Tests.Trials.Residual("resnet", "depth-mup", optimizer: "adamw", steps: 25) },
        { "conv-resnet μP adam", ScaleSweep.Training.Tests.Trials.Residual("conv-resnet", "mup", width: 16, depth: 2, steps: 15, baseWidth: 8) },
        { "moe μP", ScaleSweep.Training.Tests.Trials.Sequence("moe", "mup-moe", width: 32, depth: 1, steps: 10, loadBalance: 0.01) },
    };

    [Fact]
    public void Every_scalar_operand_keeps_its_value_through_a_hundred_thousand_ops_under_collection()
    {
        // A plain x.mul(1.5) fails this within seconds (a wrong product or a libtorch "toDouble" error).
        using var x = ones(4);
        var wrong = 0;
        UnderConstantCollection(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                using var scope = NewDisposeScope();
                var y = x.MulBy(1.5).AddScaled(x, 0.5).DivBy(2).AddConstant_(1).AddProduct_(x, x, 2).AddQuotient_(x, x, -3);
                if (y[0].item<float>() != 1) wrong++;
            }
        });
        Assert.Equal(0, wrong);
    }

    [Theory]
    [MemberData(nameof(Trials))]
    public void A_trial_gives_the_same_bits_while_the_garbage_collector_runs_without_pause(string name, TrialSpec spec)
    {
        var runner = new TorchTrialRunner();
        var calm = runner.Run(spec, null, default);
        Assert.Equal(TrialStatus.Completed, calm.Status);

        UnderConstantCollection(() =>
        {
            for (var run = 0; run < 3; run++)
            {
                var stressed = runner.Run(spec, null, default);
                Assert.True(calm.FinalTrainLoss == stressed.FinalTrainLoss && calm.FinalEvalLoss == stressed.FinalEvalLoss,
                    $"{name}, run {run}: {stressed.Status} {stressed.FinalTrainLoss:R} / {stressed.FinalEvalLoss:R}, calm {calm.FinalTrainLoss:R} / {calm.FinalEvalLoss:R}");
            }
        });
    }

    [Fact]
    public void Packed_trials_give_the_same_bits_while_the_garbage_collector_runs_without_pause()
    {
        TrialSpec[] pack = [.. new[] { 0.001, 0.01 }.Select(lr => ScaleSweep.Training.Tests.Trials.Mlp("mup", width: 32, lr: lr, steps: 25))];
        var calm = PackedTrialRunner.Train(pack).Select(m => (m.FinalTrainLoss, m.FinalEvalLoss)).ToArray();
        UnderConstantCollection(() => Assert.Equal(calm, PackedTrialRunner.Train(pack).Select(m => (m.FinalTrainLoss, m.FinalEvalLoss)).ToArray()));
    }

    [Fact]
    public void The_signal_propagation_measurement_gives_the_same_bits_while_the_garbage_collector_runs_without_pause()
    {
        // The setting of the measurement test that once failed in CI with libtorch's "INTERNAL ASSERT FAILED" in pow.
        var settings = new SignalPropagationSettings("tanh", 2.5, 0.05, Depth: 20, Width: 500, Q0: 1, C0: 0.5) { Networks = 8 };
        static double[] Flat(SignalPropagationReport r) => [.. r.Layers.SelectMany(l => new[] { l.Q, l.C, l.GradientNorm2 })];
        var calm = Flat(SignalPropagationMeasurement.Run(settings));
        UnderConstantCollection(() =>
        {
            for (var run = 0; run < 10; run++) Assert.Equal(calm, Flat(SignalPropagationMeasurement.Run(settings)));
        });
    }

    [Fact]
    public void The_synthetic_task_is_generated_with_the_same_bits_while_the_garbage_collector_runs_without_pause()
    {
        var calm = SyntheticClassification.Generate();
        UnderConstantCollection(() =>
        {
            for (var run = 0; run < 5; run++)
            {
                var stressed = SyntheticClassification.Generate();
                Assert.True(Same(calm.TrainX, stressed.TrainX) && Same(calm.TrainY, stressed.TrainY) && Same(calm.EvalY, stressed.EvalY), $"run {run}");
            }
        });
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static void UnderConstantCollection(Action work)
    {
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try { work(); }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }
}
