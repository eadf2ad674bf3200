using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Commands;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests.Commands;

/// <summary>
/// The rules a command trial receives, evaluated at each layer's fan-in as the program does, against what the
/// built-in TorchSharp model of the same shape actually does: the std of its initial weights and its optimizer's
/// per-group learning rates.
/// </summary>
public sealed class CommandRulesTests
{
    private const int Features = 64; // the synthetic set

    [Theory]
    [InlineData("mup", 128)]
    [InlineData("mup", 512)]
    [InlineData("sp", 256)]
    public void Mlp_layers_get_the_init_and_lr_the_rules_give(string parameterization, int width)
    {
        var spec = Trials.Mlp(parameterization, width: width, depth: 3, lr: 0.01);
        spec = spec with { Optim = spec.Optim with { WeightDecay = 0.1 } };
        AssertRulesMatchModel(spec);
    }

    [Theory]
    [InlineData("depth-mup", 64, 4)]
    [InlineData("depth-mup", 128, 8)]
    [InlineData("completep", 128, 8)]
    public void Residual_blocks_get_the_init_lr_and_branch_multiplier_the_rules_give(string parameterization, int width, int depth)
    {
        var spec = Trials.Residual(parameterization: parameterization, width: width, depth: depth, lr: 0.003);
        var rules = AssertRulesMatchModel(spec);
        Assert.Equal(Math.Pow((double)depth / spec.Base.Depth, parameterization == "completep" ? -1 : -0.5),
            rules["residual_multiplier"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Sgd_rules_are_the_sgd_column_of_the_table()
    {
        var spec = Trials.Mlp("mup", width: 256, depth: 2, optimizer: "sgd", lr: 0.1);
        var rules = AssertRulesMatchModel(spec);
        Assert.Equal("sgd", rules["optimizer_family"]!.GetValue<string>());
    }

    private static JsonObject AssertRulesMatchModel(TrialSpec spec)
    {
        var doc = TrialDocument.For(spec, TrialContext.Standalone(spec));
        var rules = doc[TrialDocument.Rules]!.AsObject();
        var roles = rules["roles"]!.AsObject();
        var parameterization = ParameterizationCatalog.For(spec);
        using var generator = new Generator(0);
        using var model = ModelFactory.Create(spec.Model, spec.Base, Features, 10, parameterization, generator);
        using var optimizer = new ScaledOptimizer(model.ScaledParameters, parameterization, spec.Optim);
        var groupLrs = optimizer.GroupLearningRates;
        Assert.Equal(model.ScaledParameters.Count, groupLrs.Count);
        for (var i = 0; i < model.ScaledParameters.Count; i++)
        {
            var p = model.ScaledParameters[i];
            var role = roles[p.Shape.Role]!;
            double At(string quantity) => ParameterizationRules.Evaluate(role[quantity]!, p.Shape.FanIn, p.Shape.BaseFanIn);

            // Learning rate: the optimizer's group against lr × the rule.
            Assert.Equal(groupLrs[i], spec.Optim.Lr * At("lr"), 12);
            // Init: the rule against the std of the tensor the model drew (large tensors only: a sample std).
            var std = At("init_std");
            Assert.Equal(parameterization.InitStd(p.Shape), std, 12);
            if (p.Parameter.numel() >= 4096)
            {
                var drawn = p.Parameter.detach().std().item<float>();
                Assert.True(Math.Abs(drawn - std) <= 0.05 * std + 1e-9, $"{p.Name}: drawn std {drawn}, rule {std}");
            }
            else if (std == 0)
            {
                Assert.Equal(0, p.Parameter.detach().abs().max().item<float>());
            }
            Assert.Equal(parameterization.Multiplier(p.Shape), At("multiplier"), 12);
            var h = parameterization.Hyperparameters(p.Shape, spec.Optim);
            Assert.Equal(h.WeightDecay, spec.Optim.WeightDecay * At("weight_decay"), 12);
            Assert.Equal(h.Eps, spec.Optim.Eps * At("eps"), 12);
        }
        return rules;
    }
}
