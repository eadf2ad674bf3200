using ScaleSweep.Training.Models;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Trials;

/// <summary>
/// The loss a trial minimises: mean cross-entropy over every prediction (one per example, or one per position
/// for a language model: nats per byte on text) plus the model's weighted auxiliary loss (MoE load balancing).
/// </summary>
public static class TrainingObjective
{
    /// <returns>The objective to differentiate and the cross-entropy alone (what curves and results report).</returns>
    public static (Tensor Objective, Tensor CrossEntropy) Compute(ScalableModel model, Tensor x, Tensor y, ActivationProbe? probe = null)
    {
        var (logits, auxiliary) = model.ForwardForTraining(x, probe);
        var crossEntropy = CrossEntropy(logits, y);
        return (auxiliary is null ? crossEntropy : crossEntropy.Plus(auxiliary), crossEntropy);
    }

    /// <summary>Cross-entropy of logits [.., classes] against targets [..].</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor y, nn.Reduction reduction = nn.Reduction.Mean) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), y.reshape(-1), reduction: reduction);
}
