namespace ScaleSweep.Analysis.Transfer;

/// <summary>One scale as the transfer procedure sees it: its mean loss curve (all seeds or a resample) and the optimum on it.</summary>
public sealed record ScaleCurve(double Scale, IReadOnlyList<LossCell> Cells, Optimum Optimum);

/// <summary>
/// The loss cost of a learning rate at one scale: the interpolated mean loss there (<see cref="LossCurve"/>) minus
/// the best mean loss of the grid, relative to the latter (absolute when the best loss is 0). The transfer
/// penalty of a sweep is the largest cost of using the smallest scale's η* at every scale.
/// </summary>
public static class TransferPenalty
{
    /// <summary>Loss at <paramref name="log2Lr"/> minus the best loss of <paramref name="curve"/> (nats, ≥ 0).</summary>
    public static double Absolute(ScaleCurve curve, double log2Lr) => LossCurve.At(curve.Cells, log2Lr) - curve.Optimum.Loss;

    /// <summary><see cref="Absolute"/> relative to the best loss (0.01 = 1%).</summary>
    public static double Relative(ScaleCurve curve, double log2Lr) => Relative(Absolute(curve, log2Lr), curve.Optimum.Loss);

    public static double Relative(double penalty, double bestLoss) => bestLoss == 0 ? penalty : penalty / Math.Abs(bestLoss);

    /// <summary>The largest relative cost of training every scale with the smallest scale's η*; curves ascending in scale.</summary>
    public static double Largest(IReadOnlyList<ScaleCurve> curves)
    {
        var eta = curves[0].Optimum.Log2LrOpt;
        return curves.Max(c => Relative(c, eta));
    }
}
