namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// The mean loss of one scale as a function of log2 LR: straight lines between the grid points. Beyond the grid it
/// continues the outermost segment's line, but never below the outermost point's loss: leaving the measured range
/// can make a learning rate look worse, never better than the last one measured.
/// </summary>
public static class LossCurve
{
    /// <summary>The interpolated mean loss at <paramref name="log2Lr"/>; <paramref name="cells"/> ascending in log2 LR, non-empty.</summary>
    public static double At(IReadOnlyList<LossCell> cells, double log2Lr)
    {
        if (cells.Count == 0) throw new ArgumentException("a loss curve needs at least one point", nameof(cells));
        if (cells.Count == 1) return cells[0].MeanLoss;
        if (log2Lr <= cells[0].Log2Lr) return Math.Max(cells[0].MeanLoss, Line(cells[0], cells[1], log2Lr));
        var last = cells.Count - 1;
        if (log2Lr >= cells[last].Log2Lr) return Math.Max(cells[last].MeanLoss, Line(cells[last - 1], cells[last], log2Lr));
        var right = 1;
        while (cells[right].Log2Lr < log2Lr) right++;
        return Line(cells[right - 1], cells[right], log2Lr);
    }

    /// <summary>True when <paramref name="log2Lr"/> lies outside the measured learning rates.</summary>
    public static bool OffGrid(IReadOnlyList<LossCell> cells, double log2Lr) =>
        cells.Count > 0 && (log2Lr < cells[0].Log2Lr || log2Lr > cells[^1].Log2Lr);

    private static double Line(LossCell a, LossCell b, double x) =>
        a.MeanLoss + (x - a.Log2Lr) * (b.MeanLoss - a.MeanLoss) / (b.Log2Lr - a.Log2Lr);
}
