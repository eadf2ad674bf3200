using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// LayerNorm over the last dimension with a gain and a bias of role <c>norm</c>. Every table starts it as the
/// identity (gain 1, bias 0); the table sets its multipliers, LR, weight decay and ε.
/// </summary>
public sealed class ScaledLayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly ScaledWeight gain;
    private readonly ScaledWeight bias;
    private readonly long width;

    public ScaledLayerNorm(string name, long width, long baseWidth, Parameterization parameterization, Generator generator)
        : base(name)
    {
        this.width = width;
        var shape = new ParameterShape(ParameterRoles.Norm, width, baseWidth);
        gain = new ScaledWeight($"{name}.gain", [width], shape, parameterization, generator, fill: 1);
        bias = new ScaledWeight($"{name}.bias", [width], shape, parameterization, generator, fill: 0);
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters => [gain.Scaled, bias.Scaled];

    public override Tensor forward(Tensor input) =>
        nn.functional.layer_norm(input, [width], gain.Effective(), bias.Effective());
}
