namespace ScaleSweep.Analysis.Transfer;

/// <summary>One scale as the transfer procedure sees it: its mean loss curve (all seeds or a resample) and the optimum on it.</summary>
public sealed record ScaleCurve(double Scale, IReadOnlyList<LossCell> Cells, Optimum Optimum);

/// <summary>
/// The loss cost of a learning rate at one scale: the interpolated mean loss there (<see cref="LossCurve"/>) minus
/// the interpolated loss at that scale's own η*, never below 0 (a rate nearer the grid minimum than the refined η*
/// costs nothing), relative to the loss at η* (absolute when that loss is 0). Measuring from the loss at η* on the
/// same curve makes an exact prediction cost exactly 0 wherever η* lies between grid points. The transfer penalty
/// of a sweep is the largest cost of using the smallest scale's η* at every scale.
/// </summary>
public static class TransferPenalty
{
    /// <summary>The interpolated loss at the curve's own η*: what a perfect choice of learning rate scores.</summary>
    public static double Best(ScaleCurve curve) => LossCurve.At(curve.Cells, curve.Optimum.Log2LrOpt);

    /// <summary>Loss at <paramref name="log2Lr"/> minus the loss at the curve's η* (nats, ≥ 0).</summary>
    public static double Absolute(ScaleCurve curve, double log2Lr) => Math.Max(0, LossCurve.At(curve.Cells, log2Lr) - Best(curve));

    /// <summary><see cref="Absolute"/> relative to the loss at η* (0.01 = 1%).</summary>
    public static double Relative(ScaleCurve curve, double log2Lr) => Relative(Absolute(curve, log2Lr), Best(curve));

    public static double Relative(double penalty, double bestLoss) => bestLoss == 0 ? penalty : penalty / Math.Abs(bestLoss);

    /// <summary>The largest relative cost of training every scale with the smallest scale's η*; curves ascending in scale.</summary>
    public static double Largest(IReadOnlyList<ScaleCurve> curves)
    {
        var eta = curves[0].Optimum.Log2LrOpt;
        return curves.Max(c => Relative(c, eta));
    }
}
