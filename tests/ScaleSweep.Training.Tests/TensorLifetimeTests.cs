using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;
using TorchSharp;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// No step leaves a tensor behind: every tensor a step makes is disposed with its dispose scope, so the number of
/// live tensors (TorchSharp's own count, on the training thread) is the same after step 20 and after step 120 — evaluation
/// steps included. A tensor that escaped its scope each step would hold native memory until a garbage collection
/// happened to finalize it, which is how RSS creeps up over thousands of steps.
/// </summary>
public class TensorLifetimeTests
{
    public static TheoryData<string, TrialSpec> Trials => new()
    {
        { "mlp μP adam", ScaleSweep.Training.Tests.Trials.Mlp("mup", width: 64, steps: 120) },
        { "mlp SP sgd", ScaleSweep.Training.Tests.Trials.Mlp("sp", width: 64, optimizer: "sgd", lr: 0.05, steps: 120) },
        { "resnet depth-μP adamw", ScaleSweep.Training.Tests.Trials.Residual("resnet", "depth-mup", optimizer: "adamw", steps: 120) },
        { "conv-resnet μP adam", ScaleSweep.Training.Tests.Trials.Residual("conv-resnet", "mup", width: 8, depth: 1, steps: 120, baseWidth: 8) },
        { "transformer μP", ScaleSweep.Training.Tests.Trials.Sequence("transformer", "mup", width: 32, depth: 1, steps: 120) },
    };

    [Theory]
    [MemberData(nameof(Trials))]
    public void A_trial_keeps_the_same_number_of_live_tensors_from_step_to_step(string name, TrialSpec spec)
    {
        var live = new Dictionary<int, long>();
        var result = new TorchTrialRunner().Run(spec, p => Count(live, p.Step), default);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.True(live[20] == live[120], $"{name}: {live[20]} live tensors after step 20, {live[120]} after step 120");
    }

    [Fact]
    public void A_pack_keeps_the_same_number_of_live_tensors_from_step_to_step()
    {
        var live = new Dictionary<int, long>();
        TrialSpec[] pack = [.. new[] { 1e-3, 1e-2, 3e-2 }.Select(lr => ScaleSweep.Training.Tests.Trials.Mlp("mup", width: 32, lr: lr, steps: 120))];
        new PackedTrialRunner().Run([.. pack.Select((s, i) => new PackMember(s, i == 0 ? p => Count(live, p.Step) : null))], 0);
        Assert.True(live[20] == live[120], $"{live[20]} live tensors after step 20, {live[120]} after step 120");
    }

    private static void Count(Dictionary<int, long> live, int step)
    {
        if (step is 20 or 120) live[step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    }
}
