using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// A parameterization written as a YAML table in a sweep spec is the same thing as a built-in one: the table
/// below restates μP's MLP rules, and its trials train to bit-identical losses with the built-in `mup`.
/// </summary>
public class YamlTableTests
{
    private const string Spec = """
        name: yaml-mup
        model: { kind: mlp, depth: 3 }
        data: { kind: synthetic }
        train: { optimizer: OPTIMIZER, steps: 25, batch: 64, eval_every: 25 }
        base: { width: 64, depth: 3 }
        parameterizations:
          - mup
          - name: my-mup
            init_distribution: uniform
            roles:
              input:
                init_std: { coef: 0.5773502691896258, base_fan_in: -0.5 }
                sgd: { lr: { n: 1 }, weight_decay: { n: -1 } }
              hidden:
                init_std: { coef: 0.5773502691896258, base_fan_in: -0.5, n: -0.5 }
                adam: { lr: { n: -1 }, weight_decay: { n: 1 } }
              output:
                init_std: { coef: 0.5773502691896258, base_fan_in: -0.5 }
                multiplier: { n: -1 }
                sgd: { lr: { n: 1 }, weight_decay: { n: -1 } }
              bias:
                init_std: { coef: 0.5773502691896258, base_fan_in: -0.5 }
                sgd: { lr: { n: 1 }, weight_decay: { n: -1 } }
              output_bias:
                init_std: { coef: 0.5773502691896258, base_fan_in: -0.5 }
        grid:
          width: [256]
          lr: [LR]
        """;

    [Theory]
    [InlineData("adam", 0.003)]
    [InlineData("sgd", 0.1)]
    public void A_yaml_table_equal_to_mup_trains_identically(string optimizer, double lr)
    {
        var yaml = Spec.Replace("OPTIMIZER", optimizer).Replace("LR", lr.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var plan = SweepSpecLoader.Parse(yaml, "yaml-mup.yaml").Expand();
        var builtIn = plan.Trials.Single(t => t.Spec.Parameterization == "mup").Spec;
        var custom = plan.Trials.Single(t => t.Spec.Parameterization == "my-mup").Spec;
        Assert.NotNull(custom.CustomTable);
        Assert.NotEqual(TrialKey.For(builtIn), TrialKey.For(custom));

        var runner = new TorchTrialRunner();
        var a = runner.Run(builtIn, null, default);
        var b = runner.Run(custom, null, default);
        Assert.Equal(TrialStatus.Completed, a.Status);
        Assert.Equal(a.Curve.Select(c => c.TrainLoss), b.Curve.Select(c => c.TrainLoss));
        Assert.Equal(a.FinalEvalLoss, b.FinalEvalLoss);

        // And it is not vacuous: SP at the same width trains differently.
        var sp = runner.Run(builtIn with { Parameterization = "sp" }, null, default);
        Assert.NotEqual(a.FinalTrainLoss, sp.FinalTrainLoss);
    }
}
