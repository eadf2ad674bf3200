namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// How flat the optimum is: the log2-LR interval around the grid minimum over which the interpolated mean loss
/// (<see cref="LossCurve"/>) stays within a fraction of the best loss. A basin that reaches the first or last grid
/// point ends there (the grid says nothing beyond it).
/// </summary>
public static class Basin
{
    /// <summary>(low, high) in log2 LR around the cell at <paramref name="best"/> (the grid minimum), within <paramref name="fraction"/> of its loss.</summary>
    public static (double Low, double High) Of(IReadOnlyList<LossCell> cells, int best, double fraction)
    {
        var threshold = Threshold(cells[best].MeanLoss, fraction);
        var left = best;
        while (left > 0 && cells[left - 1].MeanLoss <= threshold) left--;
        var right = best;
        while (right < cells.Count - 1 && cells[right + 1].MeanLoss <= threshold) right++;
        var low = left == 0 ? cells[0].Log2Lr : Crossing(cells[left - 1], cells[left], threshold);
        var high = right == cells.Count - 1 ? cells[^1].Log2Lr : Crossing(cells[right], cells[right + 1], threshold);
        return (low, high);
    }

    /// <summary>best + fraction·|best|: a loss counts as "within 1%" of the best up to this value.</summary>
    public static double Threshold(double bestLoss, double fraction) => bestLoss + fraction * Math.Abs(bestLoss);

    /// <summary>Where the segment from <paramref name="a"/> to <paramref name="b"/> meets <paramref name="level"/> (one end is above it, the other not).</summary>
    private static double Crossing(LossCell a, LossCell b, double level) =>
        a.MeanLoss == b.MeanLoss ? a.Log2Lr : a.Log2Lr + (level - a.MeanLoss) * (b.Log2Lr - a.Log2Lr) / (b.MeanLoss - a.MeanLoss);
}
