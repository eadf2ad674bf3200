using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// A k×k convolution on own parameters (functional conv2d) so the role scaling applies: fan-in = in_channels·k²,
/// base fan-in = base in_channels·k². y = a_w·conv(x, W) + a_b·b.
/// </summary>
public sealed class ScaledConv2d : nn.Module<Tensor, Tensor>
{
    private readonly ScaledWeight weight;
    private readonly ScaledWeight? bias;
    private readonly long stride;
    private readonly long padding;

    public ScaledConv2d(string name, long inChannels, long outChannels, long baseInChannels, int kernel, long stride,
        string role, bool withBias, Parameterization parameterization, Generator generator) : base(name)
    {
        var shape = new ParameterShape(role, inChannels * kernel * kernel, baseInChannels * kernel * kernel);
        weight = new ScaledWeight($"{name}.weight", [outChannels, inChannels, kernel, kernel], shape, parameterization, generator);
        if (withBias)
            bias = new ScaledWeight($"{name}.bias", [outChannels], shape with { Role = ParameterRoles.Bias }, parameterization, generator);
        this.stride = stride;
        padding = kernel / 2;
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters => bias is null ? [weight.Scaled] : [weight.Scaled, bias.Scaled];

    public override Tensor forward(Tensor input)
    {
        var y = weight.Scale(nn.functional.conv2d(input, weight.Value, strides: [stride, stride], padding: [padding, padding]));
        return bias is null ? y : y.Plus(bias.Scale(bias.Value).view(1, -1, 1, 1));
    }
}
