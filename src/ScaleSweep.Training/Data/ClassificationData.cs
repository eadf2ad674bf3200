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
    int Classes)
{
    public long InputSize => TrainX.shape[1];
    public long TrainCount => TrainX.shape[0];
    public long EvalCount => EvalX.shape[0];

    /// <summary>The same data limited to the first examples of each split (0 keeps all).</summary>
    public ClassificationData Take(int train, int eval) => this with
    {
        TrainX = train > 0 && train < TrainCount ? TrainX.narrow(0, 0, train) : TrainX,
        TrainY = train > 0 && train < TrainCount ? TrainY.narrow(0, 0, train) : TrainY,
        EvalX = eval > 0 && eval < EvalCount ? EvalX.narrow(0, 0, eval) : EvalX,
        EvalY = eval > 0 && eval < EvalCount ? EvalY.narrow(0, 0, eval) : EvalY,
    };
}

/// <summary>A data set that is not installed: the message names what to install.</summary>
public sealed class DataUnavailableException(string message) : Exception(message);
