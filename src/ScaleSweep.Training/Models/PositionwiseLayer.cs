using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>The position-wise sublayer of a Transformer block: a dense FFN or a mixture of experts.</summary>
public abstract class PositionwiseLayer(string name) : nn.Module(name)
{
    public abstract IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    /// <summary>x [batch, positions, width] → same shape.</summary>
    /// <param name="auxiliaryLosses">Collects weighted auxiliary training losses (MoE load balancing) when given.</param>
    public abstract Tensor Forward(Tensor x, ICollection<Tensor>? auxiliaryLosses);
}
