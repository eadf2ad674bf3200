using static TorchSharp.torch;

namespace ScaleSweep.Training.Data;

/// <summary>
/// What the trainer and the coordinate check need from a data set: sizes for the model, seeded training
/// batches and a fixed evaluation set. Targets are class indices, one per example (classification) or one per
/// position (next-token prediction); the loss is the mean cross-entropy over all of them. Tensors returned
/// here belong to the caller's dispose scope.
/// </summary>
public interface ITrainingData
{
    string Name { get; }

    /// <summary>Input features per example, or the vocabulary size for token data.</summary>
    long InputSize { get; }

    /// <summary>Logits per prediction.</summary>
    int Classes { get; }

    /// <summary>Predictions (targets) per example: 1, or the context length for next-token data.</summary>
    int PredictionsPerExample { get; }

    /// <summary>Examples in the fixed evaluation set.</summary>
    long EvalCount { get; }

    /// <summary>An endless, deterministic stream of training batches for one trial.</summary>
    IBatchStream TrainBatches(int batch, int seed);

    /// <summary>Evaluation examples [start, start + count).</summary>
    (Tensor X, Tensor Y) EvalBatch(long start, long count);

    /// <summary>A fixed training batch (the coordinate check reuses it every step).</summary>
    (Tensor X, Tensor Y) FixedTrainBatch(int count);
}

/// <summary>Training batches of one trial, in a seeded order.</summary>
public interface IBatchStream
{
    (Tensor X, Tensor Y) Next();
}
