using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>Receives the output of a named module during a forward pass (the coordinate check listens here).</summary>
public delegate void ActivationProbe(string module, Tensor output);

/// <summary>A model whose parameters carry roles, so a parameterization can scale them and their optimizer groups.</summary>
public abstract class ScalableModel(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    /// <summary>Logits: [batch, classes], or [batch, positions, vocabulary] for a language model.</summary>
    public abstract Tensor Forward(Tensor input, ActivationProbe? probe);

    /// <summary>
    /// The forward pass plus the model's auxiliary training loss, already weighted (MoE load balancing);
    /// null for models without one. The trainer minimises cross-entropy + auxiliary.
    /// </summary>
    public virtual (Tensor Logits, Tensor? Auxiliary) ForwardForTraining(Tensor input, ActivationProbe? probe) =>
        (Forward(input, probe), null);

    public override Tensor forward(Tensor input) => Forward(input, null);

    public long ParameterCount => ScaledParameters.Sum(p => p.Parameter.numel());
}
