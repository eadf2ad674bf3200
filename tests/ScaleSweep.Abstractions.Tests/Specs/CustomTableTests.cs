using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Specs;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

public sealed class CustomTableTests
{
    private const string Table = """
        parameterizations:
          - sp
          - name: my-mup
            init_distribution: uniform
            residual: { coef: 1, l: -0.5 }
            zero_readout: true
            roles:
              input:  { init_std: { coef: 1, base_fan_in: -0.5 }, adam: { lr: 1 } }
              hidden:
                init_std: { coef: 1, fan_in: -0.5 }
                multiplier: { coef: 1 }
                adam: { lr: { coef: 1, n: -1 }, weight_decay: { coef: 1, n: 1 }, eps: { coef: 1 } }
                sgd: { lr: { coef: 2, n: -1, l: 0.5, e: 1 } }
              output: { init_std: 0, multiplier: { coef: 1, n: -1 } }
              bias:   { init_std: 0 }
        """;

    [Fact]
    public void Custom_table_round_trips_into_parameterization_table()
    {
        var spec = Parse(With(5, Table));
        var choice = spec.Parameterizations[1];
        Assert.Equal("my-mup", choice.Name);
        var table = Assert.IsType<ParameterizationTable>(choice.Table);
        Assert.Equal("my-mup", table.Name);
        Assert.Equal("uniform", table.InitDistribution);
        Assert.Equal(new ScaleRule(1, L: -0.5), table.Residual);
        Assert.True(table.ZeroReadout);
        Assert.Equal(["bias", "hidden", "input", "output"], table.Roles.Keys);

        var hidden = table.Roles["hidden"];
        Assert.Equal(new ScaleRule(1, FanIn: -0.5), hidden.InitStd);
        Assert.Equal(ScaleRule.One, hidden.Multiplier);
        Assert.Equal(new OptimizerRule(new ScaleRule(1, N: -1), new ScaleRule(1, N: 1), ScaleRule.One), hidden.Adam);
        Assert.Equal(new OptimizerRule(new ScaleRule(2, N: -1, L: 0.5, E: 1), ScaleRule.One, ScaleRule.One), hidden.Sgd);
        Assert.Equal(new ScaleRule(1, BaseFanIn: -0.5), table.Roles["input"].InitStd);
        Assert.Equal(new ScaleRule(0), table.Roles["output"].InitStd);
        Assert.Equal(new ScaleRule(1, N: -1), table.Roles["output"].Multiplier);
        Assert.Equal(OptimizerRule.Unscaled, table.Roles["bias"].Adam);
        // Roles the table omits fall back as documented (expert → hidden).
        Assert.Same(hidden, table.For(ParameterRoles.Expert));
    }

    [Fact]
    public void Trials_carry_the_table_and_its_name()
    {
        var trials = Parse(With(5, Table)).Expand().Trials;
        var custom = trials.Where(t => t.Spec.Parameterization == "my-mup").ToList();
        Assert.Equal(trials.Length / 2, custom.Count);
        Assert.All(custom, t => Assert.Equal("my-mup", t.Spec.CustomTable?.Name));
        Assert.All(trials.Where(t => t.Spec.Parameterization == "sp"), t => Assert.Null(t.Spec.CustomTable));
    }

    [Fact]
    public void Every_built_in_table_is_a_parameterization_a_spec_accepts_and_nothing_else_is()
    {
        foreach (var name in BuiltInTables.Names)
            Assert.Equal(name, Parse(With(5, $"parameterizations: [{name}]")).Parameterizations[0].Name);
        Assert.Throws<SpecValidationException>(() => Parse(With(5, "parameterizations: [u-mup-test]")));
    }
}
