using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

public sealed class ExpansionTests
{
    [Fact]
    public void Count_is_parameterizations_times_grid_sizes()
    {
        var spec = Parse(Text);
        var plan = spec.Expand();
        Assert.Equal(2 * 3 * 5 * 2, plan.Trials.Length);
        Assert.Equal(plan.Trials.Length, spec.CountTrials());
    }

    [Fact]
    public void Keys_are_deterministic_and_distinct()
    {
        var first = Parse(Text).Expand();
        var second = Parse(Text).Expand();
        Assert.Equal(first.Trials.Select(t => t.Key), second.Trials.Select(t => t.Key));
        Assert.Equal(first.Trials.Length, first.Trials.Select(t => t.Key).Distinct().Count());
        Assert.All(first.Trials, t => Assert.Equal(TrialKey.For(t.Spec), t.Key));
    }

    [Fact]
    public void Order_is_parameterization_then_grid_with_last_key_fastest()
    {
        var trials = Parse(Text).Expand().Trials;
        Assert.Equal(["sp", "sp", "sp"], trials.Take(3).Select(t => t.Spec.Parameterization));
        Assert.Equal("mup", trials[30].Spec.Parameterization);
        Assert.Equal([0, 1, 0], trials.Take(3).Select(t => t.Spec.Seed));
        Assert.Equal(Math.Pow(2, -10), trials[0].Spec.Optim.Lr);
        Assert.Equal(Math.Pow(2, -9), trials[2].Spec.Optim.Lr);
        Assert.Equal(128, trials[10].Spec.Model.Width);
    }

    [Fact]
    public void Log2_range_gives_exact_powers_of_two()
    {
        var lr = Parse(Text).Grid.Single(a => a.Key == "lr").Values;
        Assert.Equal([1.0 / 1024, 1.0 / 512, 1.0 / 256, 1.0 / 128, 1.0 / 64], lr.ToArray());
        var fine = Parse(With(8, "  lr: { log2: { from: -3, to: -1, step: 0.5 } }")).Grid.Single(a => a.Key == "lr").Values;
        Assert.Equal([0.125, Math.Pow(2, -2.5), 0.25, Math.Pow(2, -1.5), 0.5], fine.ToArray());
        var widths = Parse(With(7, "  width: { log2: { from: 6, to: 9, step: 1 } }")).Grid.Single(a => a.Key == "width").Values;
        Assert.Equal([64.0, 128, 256, 512], widths.ToArray());
    }

    [Fact]
    public void Linear_range_includes_its_end_without_float_noise()
    {
        var values = Parse(With(8, "  lr: { linear: { from: 0.1, to: 0.3, step: 0.1 } }")).Grid.Single(a => a.Key == "lr").Values;
        Assert.Equal([0.1, 0.2, 0.3], values.ToArray());
    }

    [Fact]
    public void Settings_and_defaults()
    {
        var plan = Parse(Text).Expand();
        Assert.Equal("mlp-width", plan.Name);
        Assert.Equal(3, plan.Settings.MaxAttempts);
        Assert.Equal("width", plan.Settings.Transfer.Axis);
        Assert.Equal(1.0, plan.Settings.Transfer.ToleranceLog2);
        Assert.Equal(["width", "lr", "seed"], plan.Settings.SweptKeys.ToArray());
        Assert.Equal(Text, plan.SpecYaml);
        Assert.Null(plan.Settings.Output);
        var trial = plan.Trials[0].Spec;
        Assert.Equal(new BaseShape(64, 3, 1), trial.Base); // base defaults to the smallest swept width
        Assert.Equal("cpu", trial.Device);
        Assert.Equal(0.9, trial.Optim.Momentum);
        Assert.Equal(50, trial.Optim.EvalEvery);
        Assert.Empty(trial.Extra);
    }

    [Theory]
    // transfer section → (tolerance_log2, tolerance_loss, target): the penalty decides unless only tolerance_log2 is set.
    [InlineData("transfer: { axis: width, tolerance_log2: 1.0 }", 1.0, null, null)]
    [InlineData("transfer: { axis: width }", 1.0, 0.01, null)]
    [InlineData("transfer: { tolerance_loss: 0.02, target: 8192 }", 1.0, 0.02, 8192.0)]
    [InlineData("transfer: { tolerance_log2: 1.5, tolerance_loss: 0.005 }", 1.5, 0.005, null)]
    public void Transfer_tolerances_and_target(string line, double toleranceLog2, double? toleranceLoss, double? target)
    {
        var plan = Parse(With(10, line)).Expand();
        Assert.Equal(new TransferSettings("width", toleranceLog2) { ToleranceLoss = toleranceLoss, Target = target }, plan.Settings.Transfer);
    }

    [Fact]
    public void No_transfer_section_is_judged_by_the_penalty_at_one_percent()
    {
        var spec = Parse(Join(Valid.Where(l => !l.StartsWith("transfer:", StringComparison.Ordinal))));
        Assert.Equal(new TransferSettings("width", 1.0) { ToleranceLoss = TransferSettings.DefaultToleranceLoss }, spec.Transfer);
        Assert.Equal(0.01, TransferSettings.DefaultToleranceLoss);
    }

    [Fact]
    public void Transfer_axis_defaults_to_the_swept_scale_axis()
    {
        var yaml = Join(
        [
            "name: depth",
            "model: { kind: resnet, width: 32 }",
            "data: { kind: synthetic }",
            "parameterizations: [completep]",
            "grid:",
            "  depth: [2, 4, 8]",
            "  lr: [0.01]",
        ]);
        var spec = Parse(yaml);
        Assert.Equal("depth", spec.Transfer.Axis);
        Assert.Equal(new BaseShape(32, 2, 1), spec.Base);
    }

    [Fact]
    public void Base_from_spec_wins()
    {
        var spec = Parse(Plus("base: { width: 128, depth: 2 }"));
        Assert.Equal(new BaseShape(128, 2, 1), spec.Base);
    }

    [Fact]
    public void Extra_swept_values_land_in_spec_and_extra()
    {
        var yaml = With(9, "  seed: [0]\n  sigma_w2: [1.5, 2]\n  dropout: [0.1]\n  batch: [8]")
            .Replace("train: { optimizer: adam, steps: 20, batch: 16 }", "train: { optimizer: sgd }");
        var trial = Parse(yaml).Expand().Trials[0].Spec;
        Assert.Equal(1.5, trial.Model.SigmaW2);
        Assert.Equal(1.5, trial.Options.SigmaW2);
        Assert.Equal(0.1, trial.Model.Dropout);
        Assert.Equal(8, trial.Optim.Batch);
        Assert.Equal(["batch", "dropout", "sigma_w2"], trial.Extra.Keys);
        Assert.Equal(1.5, trial.Extra["sigma_w2"]);
    }

    [Fact]
    public void Noop_model_needs_no_sizes()
    {
        var yaml = Join(
        [
            "name: noop",
            "model: { kind: noop, work_ms: 5 }",
            "data: { kind: synthetic }",
            "parameterizations: [sp]",
            "grid:",
            "  lr: { log2: { from: -10, to: -1, step: 1 } }",
            "  seed: { linear: { from: 0, to: 99, step: 1 } }",
        ]);
        var plan = Parse(yaml).Expand();
        Assert.Equal(1000, plan.Trials.Length);
        Assert.All(plan.Trials, t => Assert.Equal((1, 1, 5), (t.Spec.Model.Width, t.Spec.Model.Depth, t.Spec.Model.WorkMs)));
    }

    public static TheoryData<string, string> SweptValues => new()
    {
        { "width", "[64, 128]" }, { "depth", "[2, 3]" }, { "experts", "[4, 8]" }, { "expert_width", "[32, 64]" },
        { "top_k", "[1, 2]" }, { "heads", "[2, 4]" }, { "lr", "[0.01, 0.02]" }, { "seed", "[0, 1]" },
        { "batch", "[8, 16]" }, { "sigma_w2", "[1, 2]" }, { "sigma_b2", "[0, 0.1]" }, { "dropout", "[0, 0.1]" },
        { "weight_decay", "[0, 0.1]" }, { "steps", "[10, 20]" }, { "input_mult", "[1, 2]" }, { "output_mult", "[1, 2]" },
    };

    [Fact]
    public void Every_grid_key_has_a_key_change_case()
    {
        Assert.Equal(GridKeys.Names.Order(), SweptValues.Select(row => (string)row[0]).Order());
    }

    [Theory]
    [MemberData(nameof(SweptValues))]
    public void Changing_any_swept_value_changes_the_key(string key, string values)
    {
        var fixedFields = new[] { ("width", "64"), ("depth", "2"), ("experts", "4") }
            .Where(f => f.Item1 != key).Select(f => $"{f.Item1}: {f.Item2}");
        var yaml = Join(
        [
            "name: keys",
            $"model: {{ kind: moe, {string.Join(", ", fixedFields)} }}",
            "data: { kind: text }",
            "parameterizations: [sp]",
            "grid:",
            key == "lr" ? "" : "  lr: [0.01]",
            $"  {key}: {values}",
        ]);
        var trials = Parse(yaml).Expand().Trials;
        Assert.Equal(2, trials.Length);
        Assert.NotEqual(trials[0].Key, trials[1].Key);
        Assert.NotEqual(trials[0].Spec, trials[1].Spec);
    }
}
