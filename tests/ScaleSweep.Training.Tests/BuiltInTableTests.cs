using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;

namespace ScaleSweep.Training.Tests;

/// <summary>The depth, MoE and transformer entries of the built-in tables, as docs/parameterizations.md states them.</summary>
public class BuiltInTableTests
{
    private static Parameterization At(ParameterizationTable table, double mN, double mL, double mE = 1) =>
        new(table, new Multipliers(mN, mL, mE), ParameterizationOptions.Default);

    [Fact]
    public void Every_built_in_name_is_registered()
    {
        foreach (var name in new[] { "sp", "ntk", "mup", "depth-mup", "completep", "ip", "ip-large-lr", "ip-noncentred",
                     "mean-field", "mup-moe", "moe-mean-agg" })
            Assert.True(ParameterizationCatalog.IsKnown(name), name);
    }

    [Theory]
    [InlineData(4.0, 8.0)]
    [InlineData(1.0, 1.0)]
    public void Depth_mup_and_completep_scale_residuals_and_block_rates(double mN, double mL)
    {
        var hidden = new ParameterShape(ParameterRoles.Hidden, (long)(64 * mN), 64);
        var norm = new ParameterShape(ParameterRoles.Norm, (long)(64 * mN), 64);
        var adam = new OptimConfig("adamw", 1e-3, 1, 1) { WeightDecay = 0.1, Eps = 1e-8 };
        var sgd = new OptimConfig("sgd", 0.1, 1, 1);

        var depthMup = At(DepthTables.DepthMup, mN, mL);
        Assert.Equal(Math.Pow(mL, -0.5), depthMup.ResidualMultiplier, 12);
        Assert.Equal(1e-3 / mN / Math.Sqrt(mL), depthMup.Hyperparameters(hidden, adam).Lr, 15);
        Assert.Equal(0.1, depthMup.Hyperparameters(hidden, sgd).Lr, 12);

        var completeP = At(DepthTables.CompleteP, mN, mL);
        Assert.Equal(1 / mL, completeP.ResidualMultiplier, 12);
        Assert.Equal(1e-3 / mN, completeP.Hyperparameters(hidden, adam).Lr, 15);
        Assert.Equal(1e-3, completeP.Hyperparameters(norm, adam).Lr, 15);
        Assert.Equal(0.1 * mN, completeP.Hyperparameters(hidden, adam).WeightDecay, 12);
        Assert.Equal(1 / mN / mL, completeP.Hyperparameters(hidden, adam).Eps / 1e-8, 12);
        Assert.Equal(1 / mN, completeP.Multiplier(new ParameterShape(ParameterRoles.Output, (long)(64 * mN), 64)), 12);
        Assert.Equal(1 / Math.Sqrt(3 * 64 * mN), completeP.InitStd(hidden), 12);
    }

    [Fact]
    public void Mup_attention_is_one_over_d_head_and_matches_sp_at_the_base()
    {
        var mup = At(BuiltInTables.Mup, 4, 1);
        Assert.Equal(Math.Sqrt(16) / 64, mup.AttentionScale(64, 16), 12);
        Assert.Equal(1 / Math.Sqrt(64), mup.AttentionScale(64, 64), 12);
        Assert.Equal(8.0 / 64, mup.AttentionScale(64, 64), 12); // the mup library's 8/d at d_head 64
        Assert.Equal(1 / Math.Sqrt(64), At(BuiltInTables.Sp, 4, 1).AttentionScale(64, 16), 12);
        Assert.True(BuiltInTables.Mup.ZeroQuery);
        Assert.False(BuiltInTables.Sp.ZeroQuery);
    }

    [Fact]
    public void Moe_tables_treat_experts_as_hidden_and_the_router_as_readout()
    {
        var moe = At(MoeTables.MupMoe, 4, 1, 8);
        var mup = At(BuiltInTables.Mup, 4, 1, 8);
        var adam = new OptimConfig("adam", 1e-3, 1, 1);
        var expert = new ParameterShape(ParameterRoles.Expert, 256, 64);
        var router = new ParameterShape(ParameterRoles.Router, 256, 64);
        Assert.Equal(mup.InitStd(expert with { Role = ParameterRoles.Hidden }), moe.InitStd(expert), 12);
        Assert.Equal(1e-3 / 4, moe.Hyperparameters(expert, adam).Lr, 15);
        Assert.Equal(0.25, moe.Multiplier(router), 12);
        Assert.Equal(mup.Multiplier(router), moe.Multiplier(router), 12);
        Assert.Equal(1, moe.ExpertAggregation(2), 12);
        Assert.Equal(0.5, At(MoeTables.MoeMeanAggregation, 4, 1, 8).ExpertAggregation(2), 12);
    }
}
