using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>Receives the output of a named module during a forward pass (the coordinate check listens here).</summary>
public delegate void ActivationProbe(string module, Tensor output);

/// <summary>A model whose parameters carry roles, so a parameterization can scale them and their optimizer groups.</summary>
public abstract class ScalableModel(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public abstract Tensor Forward(Tensor input, ActivationProbe? probe);

    public override Tensor forward(Tensor input) => Forward(input, null);

    public long ParameterCount => ScaledParameters.Sum(p => p.Parameter.numel());
}
