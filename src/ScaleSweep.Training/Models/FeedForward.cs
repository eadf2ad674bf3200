using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>The dense FFN: width → ffn_ratio·width → width, both of role <c>hidden</c>.</summary>
public sealed class FeedForward : PositionwiseLayer
{
    private readonly ScaledLinear up, down;
    private readonly Func<Tensor, Tensor> activation;

    public FeedForward(string name, TransformerSettings s, Parameterization parameterization, Generator generator) : base(name)
    {
        up = new ScaledLinear($"{name}.up", s.Width, s.FfnWidth, s.BaseWidth, ParameterRoles.Hidden,
            s.Bias, parameterization, generator);
        down = new ScaledLinear($"{name}.down", s.FfnWidth, s.Width, s.BaseFfnWidth, ParameterRoles.Hidden,
            s.Bias, parameterization, generator);
        activation = Activations.Get(s.Activation);
        ScaledParameters = up.ScaledParameters.Concat(down.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor Forward(Tensor x, ICollection<Tensor>? auxiliaryLosses) => down.forward(activation(up.forward(x)));
}
