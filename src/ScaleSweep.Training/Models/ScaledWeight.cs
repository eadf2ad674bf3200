using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// One trainable tensor of any shape (embedding table, expert stack, conv kernel, LayerNorm gain) with its role:
/// initialised and multiplied as the parameterization says. Holders apply <see cref="Multiplier"/> where it is
/// cheapest (usually on a matmul's output rather than on the weight).
/// </summary>
public sealed class ScaledWeight : nn.Module
{
    private readonly Parameter weight;

    /// <param name="fullName">Dotted name for reports and optimizer groups, e.g. <c>block.1.moe.up</c>.</param>
    /// <param name="fill">Fixed initial value instead of the role's init (LayerNorm gain 1 / bias 0).</param>
    public ScaledWeight(string fullName, long[] shape, ParameterShape role, Parameterization parameterization,
        Generator generator, double? fill = null) : base(fullName)
    {
        weight = new Parameter(empty(shape));
        if (fill is { } value)
        {
            using var _ = no_grad();
            weight.FillWith_(value);
        }
        else ParameterInit.Fill(weight, parameterization, role, generator);
        Multiplier = parameterization.Multiplier(role);
        Scaled = new ScaledParameter(fullName, weight, role);
        RegisterComponents();
    }

    public Parameter Value => weight;

    public double Multiplier { get; }

    public ScaledParameter Scaled { get; }

    /// <summary>y · multiplier (no op when the multiplier is 1).</summary>
    public Tensor Scale(Tensor y) => Multiplier == 1 ? y : y.MulBy(Multiplier);

    /// <summary>The weight times its multiplier, for ops that take the weight itself (layer_norm, conv2d).</summary>
    public Tensor Effective() => Multiplier == 1 ? weight : weight.MulBy(Multiplier);
}
