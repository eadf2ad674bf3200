using static TorchSharp.torch;

namespace ScaleSweep.Training.Data;

/// <summary>
/// A classification data set held in memory as float32 features [N, D] and int64 labels [N]. Instances are
/// cached per process and shared read-only by concurrent trials, so they are never disposed by a trial.
/// </summary>
public sealed record ClassificationData(
    string Name,
    Tensor TrainX,
    Tensor TrainY,
    Tensor EvalX,
    Tensor EvalY,
    int Classes) : ITrainingData
{
    public long InputSize => TrainX.shape[1];
    public long TrainCount => TrainX.shape[0];
    public long EvalCount => EvalX.shape[0];
    public int PredictionsPerExample => 1;

    /// <summary>The same data limited to the first examples of each split (0 keeps all).</summary>
    public ClassificationData Take(int train, int eval) => this with
    {
        TrainX = train > 0 && train < TrainCount ? TrainX.narrow(0, 0, train) : TrainX,
        TrainY = train > 0 && train < TrainCount ? TrainY.narrow(0, 0, train) : TrainY,
        EvalX = eval > 0 && eval < EvalCount ? EvalX.narrow(0, 0, eval) : EvalX,
        EvalY = eval > 0 && eval < EvalCount ? EvalY.narrow(0, 0, eval) : EvalY,
    };

    public IBatchStream TrainBatches(int batch, int seed) => new ShuffledBatches(this, new BatchSampler(TrainCount, batch, seed));

    public (Tensor X, Tensor Y) EvalBatch(long start, long count) => (EvalX.narrow(0, start, count), EvalY.narrow(0, start, count));

    public (Tensor X, Tensor Y) FixedTrainBatch(int count) => (TrainX.narrow(0, 0, count), TrainY.narrow(0, 0, count));

    /// <summary>
    /// Gathers each batch with one index tensor made once per stream and refilled in place: a fresh index
    /// tensor per step costs more than the gather of a small batch.
    /// </summary>
    private sealed class ShuffledBatches(ClassificationData data, BatchSampler sampler) : IBatchStream
    {
        private readonly long[] order = new long[sampler.Batch];
        private readonly Tensor indices = empty(sampler.Batch, ScalarType.Int64).DetachFromDisposeScope();

        public (Tensor X, Tensor Y) Next()
        {
            sampler.Next(order);
            using (var access = indices.data<long>()) access.CopyFrom(order);
            return (data.TrainX.index_select(0, indices), data.TrainY.index_select(0, indices));
        }
    }
}

/// <summary>A data set that is not installed: the message names what to install.</summary>
public sealed class DataUnavailableException(string message) : Exception(message);
