using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>Pre-LN block: x + r·attn(LN(x)), then x + r·ffn(LN(x)); r is the table's residual multiplier.</summary>
public sealed class TransformerBlock : nn.Module
{
    private readonly ScaledLayerNorm attentionNorm, positionwiseNorm;
    private readonly CausalSelfAttention attention;
    private readonly PositionwiseLayer positionwise;
    private readonly double residual;

    public TransformerBlock(string name, TransformerSettings s, PositionwiseLayer positionwise, Parameterization parameterization,
        Generator generator) : base(name)
    {
        attentionNorm = new ScaledLayerNorm($"{name}.attn_norm", s.Width, s.BaseWidth, parameterization, generator);
        attention = new CausalSelfAttention($"{name}.attn", s, parameterization, generator);
        positionwiseNorm = new ScaledLayerNorm($"{name}.ffn_norm", s.Width, s.BaseWidth, parameterization, generator);
        this.positionwise = positionwise;
        residual = parameterization.ResidualMultiplier;
        ScaledParameters = attentionNorm.ScaledParameters.Concat(attention.ScaledParameters)
            .Concat(positionwiseNorm.ScaledParameters).Concat(positionwise.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public Tensor Forward(Tensor x, ICollection<Tensor>? auxiliaryLosses)
    {
        x = x.AddScaled(attention.forward(attentionNorm.forward(x)), residual);
        return x.AddScaled(positionwise.Forward(positionwiseNorm.forward(x), auxiliaryLosses), residual);
    }
}
