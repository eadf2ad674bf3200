using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// y = a_w·(x Wᵀ) + a_b·b, with W and b initialised and multiplied as the parameterization says for the
/// weight's role (abc form: the multiplier a is the n^-a factor, the init std the n^-b one).
/// </summary>
public sealed class ScaledLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly double weightMultiplier;
    private readonly double biasMultiplier;
    private readonly List<ScaledParameter> scaled = [];

    /// <param name="zeroInit">Start weight and bias at zero whatever the roles' init (μP's zero query: every attention logit 0).</param>
    public ScaledLinear(string name, long inFeatures, long outFeatures, long baseInFeatures, string role, bool withBias,
        Parameterization parameterization, Generator generator, bool zeroInit = false) : base(name)
    {
        var weightShape = new ParameterShape(role, inFeatures, baseInFeatures);
        weight = new Parameter(empty(outFeatures, inFeatures));
        if (zeroInit) Zero(weight);
        else ParameterInit.Fill(weight, parameterization, weightShape, generator);
        weightMultiplier = parameterization.Multiplier(weightShape);
        scaled.Add(new ScaledParameter($"{name}.weight", weight, weightShape));

        if (withBias)
        {
            var biasRole = role == ParameterRoles.Output ? ParameterRoles.OutputBias : ParameterRoles.Bias;
            var biasShape = new ParameterShape(biasRole, inFeatures, baseInFeatures);
            bias = new Parameter(empty(outFeatures));
            if (zeroInit) Zero(bias);
            else ParameterInit.Fill(bias, parameterization, biasShape, generator);
            biasMultiplier = parameterization.Multiplier(biasShape);
            scaled.Add(new ScaledParameter($"{name}.bias", bias, biasShape));
        }
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters => scaled;

    private static void Zero(Tensor parameter)
    {
        using var _ = no_grad();
        parameter.zero_();
    }

    /// <summary>
    /// As few ops as the multipliers allow: with a bias on a batch of vectors, one addmm that applies both
    /// multipliers (a_w scales the product inside the matmul, as a separate pass over the output would);
    /// otherwise linear, with the bias folded in when its multiplier is 1.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        if (bias is not null && input.dim() == 2 && (weightMultiplier != 1 || biasMultiplier != 1))
        {
            using var transposed = weight.t();
            return bias.addmm(input, transposed, (float)biasMultiplier, (float)weightMultiplier);
        }
        if (bias is not null && weightMultiplier == 1 && biasMultiplier == 1) return nn.functional.linear(input, weight, bias);
        var y = nn.functional.linear(input, weight);
        if (weightMultiplier != 1) y = y.MulBy(weightMultiplier);
        if (bias is not null) y = biasMultiplier == 1 ? y.Plus(bias) : y.AddScaled(bias, biasMultiplier);
        return y;
    }
}

/// <summary>A trainable tensor with the role and fan-in its parameterization needs.</summary>
public sealed record ScaledParameter(string Name, Parameter Parameter, ParameterShape Shape);
