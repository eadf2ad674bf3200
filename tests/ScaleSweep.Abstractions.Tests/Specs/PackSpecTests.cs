using ScaleSweep.Abstractions.Trials;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary><c>resources.pack</c> reaches the plan, and the shape key packs only what the stacked trainer can train together.</summary>
public sealed class PackSpecTests
{
    [Fact]
    public void Pack_is_auto_by_default_and_a_number_when_set()
    {
        Assert.Equal(TrialPacking.Auto, Parse(Text).Expand().Settings.Pack);
        Assert.Equal(TrialPacking.Auto, Parse(With(11, "resources: { pack: auto }")).Expand().Settings.Pack);
        Assert.Equal(6, Parse(With(11, "resources: { pack: 6 }")).Expand().Settings.Pack);
    }

    [Fact]
    public void The_shape_key_ignores_per_member_scalars_and_keeps_everything_else()
    {
        var trials = Parse(Text).Expand().Trials.Select(t => t.Spec).ToArray();
        var spec = trials[0];
        var shape = TrialPacking.ShapeKey(spec);
        // lr, seed, parameterization and its options, weight decay and ε may differ inside a pack.
        Assert.Equal(shape, TrialPacking.ShapeKey(spec with { Seed = 7, Parameterization = "sp", Options = spec.Options with { OutputMult = 2 } }));
        Assert.Equal(shape, TrialPacking.ShapeKey(spec with { Optim = spec.Optim with { Lr = 0.5, WeightDecay = 0.1, Eps = 1e-6 } }));
        // The model, data, steps, batch and optimizer kind may not.
        Assert.NotEqual(shape, TrialPacking.ShapeKey(spec with { Model = spec.Model with { Width = spec.Model.Width * 2 } }));
        Assert.NotEqual(shape, TrialPacking.ShapeKey(spec with { Optim = spec.Optim with { Steps = spec.Optim.Steps + 1 } }));
        Assert.NotEqual(shape, TrialPacking.ShapeKey(spec with { Optim = spec.Optim with { Batch = spec.Optim.Batch * 2 } }));
        Assert.NotEqual(shape, TrialPacking.ShapeKey(spec with { Optim = spec.Optim with { Optimizer = "sgd" } }));
        Assert.NotEqual(shape, TrialPacking.ShapeKey(spec with { Data = spec.Data with { Kind = "fashion-mnist" } }));
    }

    [Fact]
    public void Only_mlp_and_residual_mlp_pack_without_dropout_layer_norm_or_an_own_first_step()
    {
        var spec = Parse(Text).Expand().Trials[0].Spec;
        Assert.True(TrialPacking.IsPackable(spec));
        Assert.True(TrialPacking.IsPackable(spec with { Model = spec.Model with { Kind = "resnet" } }));
        Assert.False(TrialPacking.IsPackable(spec with { Model = spec.Model with { Kind = "conv-resnet" } }));
        Assert.False(TrialPacking.IsPackable(spec with { Model = spec.Model with { Dropout = 0.1 } }));
        Assert.False(TrialPacking.IsPackable(spec with { Model = spec.Model with { Kind = "resnet", LayerNorm = true } }));
        Assert.False(TrialPacking.IsPackable(spec with { Parameterization = "ip-large-lr", Optim = spec.Optim with { Optimizer = "sgd" } }));
        Assert.True(TrialPacking.IsPackable(spec with { Parameterization = "ip-large-lr", Optim = spec.Optim with { Optimizer = "adam" } }));
        Assert.Equal(1, TrialPacking.SizeFor(spec with { Model = spec.Model with { Width = TrialPacking.AutoMaxWidth * 2 } }, TrialPacking.Auto));
        Assert.Equal(TrialPacking.AutoSize, TrialPacking.SizeFor(spec with { Model = spec.Model with { Width = TrialPacking.AutoMaxWidth } }, TrialPacking.Auto));
        Assert.Equal(3, TrialPacking.SizeFor(spec with { Model = spec.Model with { Width = 4096 } }, 3));
    }
}
