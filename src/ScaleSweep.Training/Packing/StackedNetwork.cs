using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Packing;

/// <summary>
/// k MLPs or residual MLPs (no LayerNorm, no dropout) of one shape as one network of <see cref="StackedLinear"/>
/// layers: input → hidden layers, or input → blocks x + r·f(x) with f = W_b φ(… W_1 φ(x)) → readout, as
/// <see cref="Mlp"/> and <see cref="ResidualMlp"/> compute them, each member with its own multipliers and residual
/// multiplier. Built from the members' own models, so every member starts exactly where its unpacked trial starts.
/// </summary>
internal sealed class StackedNetwork : IDisposable
{
    private readonly List<StackedLinear> layers;
    private readonly Func<Tensor, Tensor> activation;
    private readonly bool residual;
    private readonly MemberScalars residualMultiplier;
    private readonly int blockDepth;

    public StackedNetwork(ModelConfig model, IReadOnlyList<ScalableModel> members, IReadOnlyList<Parameterization> parameterizations)
    {
        activation = Activations.Get(model.Activation);
        residual = ModelKind.Get(model.Kind) == ModelKind.Resnet;
        blockDepth = residual ? model.BlockDepth : 1;
        residualMultiplier = new MemberScalars(parameterizations.Select(p => p.ResidualMultiplier).ToArray(), 3);
        // Each member lists its parameters in forward order, weight before bias: group them by module.
        var modules = members[0].ScaledParameters.Select((p, index) => (Module: StackedLinear.ModuleName(p.Name), Index: index))
            .GroupBy(p => p.Module, p => p.Index).ToArray();
        layers = modules.Select(module => new StackedLinear(
            members.Select(m => (IReadOnlyList<ScaledParameter>)module.Select(i => m.ScaledParameters[i]).ToArray()).ToArray(),
            parameterizations)).ToList();
        Parameters = layers.SelectMany(l => l.Parameters).ToArray();
        ParameterCount = members[0].ParameterCount;
        Members = members.Count;
    }

    /// <summary>k, the members stacked.</summary>
    public int Members { get; }

    public IReadOnlyList<StackedParameter> Parameters { get; }

    /// <summary>Trainable parameters of one member.</summary>
    public long ParameterCount { get; }

    /// <param name="x">[k, batch, in], or [batch, in] shared by every member.</param>
    /// <returns>Logits [k, batch, classes].</returns>
    public Tensor Forward(Tensor x) => residual ? ForwardResidual(x) : ForwardPlain(x);

    private Tensor ForwardPlain(Tensor x)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x);
            if (i < layers.Count - 1) x = activation(x);
        }
        return x;
    }

    private Tensor ForwardResidual(Tensor x)
    {
        var h = layers[0].Forward(x);
        for (var first = 1; first < layers.Count - 1; first += blockDepth)
        {
            var f = h;
            for (var j = first; j < first + blockDepth; j++) f = layers[j].Forward(activation(f));
            h = residualMultiplier.AddScaledTo(h, f);
        }
        return layers[^1].Forward(h);
    }

    public void Dispose()
    {
        foreach (var layer in layers) layer.Dispose();
        residualMultiplier.Dispose();
    }
}
