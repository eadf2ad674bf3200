using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// A pack trains its members as one stacked model; each member must measure what the same trial measures alone
/// (within float reordering), whatever the others do.
/// </summary>
public class PackedTrialTests
{
    private const double Tolerance = 1e-4;
    private readonly TorchTrialRunner alone = new();
    private readonly PackedTrialRunner packs = new();

    public static TheoryData<string, string> Shapes => new()
    {
        { "mlp", "sgd" },
        { "mlp", "adam" },
        { "resnet", "sgd" },
        { "resnet", "adamw" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_member_matches_its_trial_run_alone(string kind, string optimizer)
    {
        var baseLr = optimizer == "sgd" ? 0.05 : 3e-3;
        // μP and SP, three LRs, three seeds in one pack; weight decay on one member.
        var members = new[]
        {
            Member(kind, "mup", optimizer, baseLr, seed: 1),
            Member(kind, "sp", optimizer, baseLr / 4, seed: 2),
            Member(kind, "mup", optimizer, baseLr * 2, seed: 3) with { },
            Member(kind, "sp", optimizer, baseLr, seed: 1),
        };
        members[2] = members[2] with { Optim = members[2].Optim with { WeightDecay = 0.01 } };

        var packed = PackedTrialRunner.Train(members);

        Assert.Equal(members.Length, packed.Count);
        for (var i = 0; i < members.Length; i++)
        {
            var single = alone.Run(members[i], null, default);
            Assert.Equal(TrialStatus.Completed, single.Status);
            AssertSameTrial(single, packed[i], $"member {i}");
        }
    }

    /// <summary>Members of one seed share their batches (one sampler, one first-layer matmul for all).</summary>
    [Theory]
    [InlineData("mlp", "adam")]
    [InlineData("resnet", "sgd")]
    public void Members_of_one_seed_match_their_trials_run_alone(string kind, string optimizer)
    {
        var baseLr = optimizer == "sgd" ? 0.05 : 3e-3;
        var members = new[]
        {
            Member(kind, "mup", optimizer, baseLr, seed: 4),
            Member(kind, "sp", optimizer, baseLr / 4, seed: 4),
            Member(kind, "mup", optimizer, baseLr * 2, seed: 4),
        };

        var packed = PackedTrialRunner.Train(members);

        for (var i = 0; i < members.Length; i++) AssertSameTrial(alone.Run(members[i], null, default), packed[i], $"member {i}");
    }

    [Fact]
    public void A_diverging_member_is_reported_diverged_and_does_not_disturb_the_others()
    {
        var members = new[]
        {
            Member("mlp", "sp", "sgd", 0.05, seed: 1),
            Member("mlp", "sp", "sgd", 1e4, seed: 2),
            Member("mlp", "mup", "sgd", 0.1, seed: 3),
        };

        var packed = PackedTrialRunner.Train(members);

        var diverged = alone.Run(members[1], null, default);
        Assert.Equal(TrialStatus.Diverged, diverged.Status);
        Assert.Equal(TrialStatus.Diverged, packed[1].Status);
        Assert.Equal(diverged.DivergedAtStep, packed[1].DivergedAtStep);
        Assert.Equal(diverged.Steps, packed[1].Steps);
        Assert.Null(packed[1].FinalEvalLoss);
        foreach (var i in new[] { 0, 2 }) AssertSameTrial(alone.Run(members[i], null, default), packed[i], $"member {i}");
    }

    [Fact]
    public void A_pack_is_bit_identical_run_to_run()
    {
        PackMember[] Pack() => [new(Member("mlp", "mup", "adam", 3e-3, 5)), new(Member("mlp", "sp", "adam", 1e-3, 6))];
        var first = packs.Run(Pack(), 0);
        var second = packs.Run(Pack(), 0);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Curve.Select(c => (c.TrainLoss, c.EvalLoss)), second[i].Curve.Select(c => (c.TrainLoss, c.EvalLoss)));
            Assert.Equal(first[i].EvalAccuracy, second[i].EvalAccuracy);
        }
    }

    [Fact]
    public void A_cancelled_member_stops_alone()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var spec = Member("mlp", "mup", "adam", 3e-3, 1) with { Optim = Member("mlp", "mup", "adam", 3e-3, 1).Optim with { Steps = 20 } };
        var packed = packs.Run([new(spec, Cancellation: cancelled.Token), new(spec with { Seed = 2 })], 0);
        Assert.Equal(TrialStatus.Cancelled, packed[0].Status);
        Assert.Equal(TrialStatus.Completed, packed[1].Status);
        Assert.Equal(20, packed[1].Steps);
    }

    [Fact]
    public void Members_of_different_shapes_are_refused()
    {
        var narrow = Member("mlp", "mup", "adam", 3e-3, 1);
        var wide = narrow with { Model = narrow.Model with { Width = 128 } };
        var error = Assert.Throws<ArgumentException>(() => PackedTrialRunner.Train([narrow, wide]));
        Assert.Contains("member 1", error.Message);
    }

    /// <summary>200 steps, a curve point every step, an evaluation every 50.</summary>
    private static TrialSpec Member(string kind, string parameterization, string optimizer, double lr, int seed)
    {
        var spec = kind == "mlp"
            ? Trials.Mlp(parameterization, width: 64, optimizer: optimizer, lr: lr, steps: 200, seed: seed)
            : Trials.Residual(kind, parameterization, width: 64, depth: 2, optimizer: optimizer, lr: lr, steps: 200) with { Seed = seed };
        return spec with { Optim = spec.Optim with { LogEvery = 1, EvalEvery = 50, Schedule = "cosine", WarmupSteps = 10 } };
    }

    private static void AssertSameTrial(TrialMeasurements single, TrialMeasurements packed, string member)
    {
        Assert.Equal(single.Status, packed.Status);
        Assert.Equal(single.Steps, packed.Steps);
        Assert.Equal(single.Params, packed.Params);
        Assert.Equal(single.Curve.Length, packed.Curve.Length);
        for (var j = 0; j < single.Curve.Length; j++)
        {
            var (a, b) = (single.Curve[j], packed.Curve[j]);
            Assert.Equal(a.Step, b.Step);
            Assert.Equal(a.Lr, b.Lr, 12);
            Close(a.TrainLoss, b.TrainLoss, $"{member} train loss at step {a.Step}");
            Close(a.EvalLoss, b.EvalLoss, $"{member} eval loss at step {a.Step}");
        }
        Close(single.FinalEvalLoss, packed.FinalEvalLoss, $"{member} final eval loss");
        Close(single.EvalAccuracy, packed.EvalAccuracy, $"{member} accuracy", absolute: 1e-3);
    }

    private static void Close(double? expected, double? actual, string what, double absolute = 0)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: {expected} vs {actual}");
        if (expected is not { } e || actual is not { } a) return;
        Assert.True(Math.Abs(e - a) <= Tolerance * Math.Abs(e) + absolute, $"{what}: alone {e:R}, packed {a:R}");
    }
}
