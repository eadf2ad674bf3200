using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// The branch f of a residual block x + r·f(x) in the residual MLP: optional pre-norm, then block_depth
/// pre-activation layers, f(x) = W_k φ(… W_1 φ(LN(x))). Pre-activation keeps the stream itself linear,
/// as in the Depth-μP analysis (x + a·L^-α · W φ(x)).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly ScaledLayerNorm? norm;
    private readonly ModuleList<ScaledLinear> layers = new();
    private readonly Func<Tensor, Tensor> activation;

    public ResidualBlock(string name, int width, int baseWidth, int blockDepth, bool layerNorm, Func<Tensor, Tensor> activation,
        bool bias, Parameterization parameterization, Generator generator) : base(name)
    {
        if (blockDepth < 1) throw new ArgumentOutOfRangeException(nameof(blockDepth), "a residual block needs at least one layer");
        if (layerNorm) norm = new ScaledLayerNorm($"{name}.norm", width, baseWidth, parameterization, generator);
        for (int i = 1; i <= blockDepth; i++)
            layers.Add(new ScaledLinear($"{name}.linear.{i}", width, width, baseWidth, ParameterRoles.Hidden, bias, parameterization, generator));
        this.activation = activation;
        ScaledParameters = (norm?.ScaledParameters ?? []).Concat(layers.SelectMany(l => l.ScaledParameters)).ToArray();
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor forward(Tensor x)
    {
        var h = norm is null ? x : norm.forward(x);
        foreach (var layer in layers) h = layer.forward(activation(h));
        return h;
    }
}
