namespace ScaleSweep.Analysis.Transfer;

/// <summary>η* on one loss-vs-log2-LR curve: the grid minimum, refined by a parabola through it and its neighbours.</summary>
public sealed record Optimum(double Log2LrGridMin, double Log2LrOpt, double Loss, bool AtGridEdge);

public static class OptimumEstimator
{
    /// <summary>
    /// The optimum of <paramref name="cells"/> (ascending in log2 LR). Ties in mean loss go to the cell with the
    /// smaller share of penalized (diverged/failed) seeds. A minimum on the first or last grid point is flagged and
    /// not refined (there is no neighbour on one side); otherwise the vertex of the parabola through the three points
    /// (any spacing), clamped to the neighbours' interval. Null when every cell is wholly penalized.
    /// </summary>
    public static Optimum? Estimate(IReadOnlyList<LossCell> cells)
    {
        if (cells.Count == 0 || cells.All(c => c.Penalized == c.Seeds)) return null;
        var best = 0;
        for (var i = 1; i < cells.Count; i++)
        {
            if (Better(cells[i], cells[best])) best = i;
        }
        var min = cells[best];
        var edge = best == 0 || best == cells.Count - 1;
        var opt = edge ? min.Log2Lr : ParabolaVertex(cells[best - 1], min, cells[best + 1]);
        return new Optimum(min.Log2Lr, opt, min.MeanLoss, edge);
    }

    /// <summary>Vertex of the parabola through three points, clamped to [left, right]; the middle x when they are collinear.</summary>
    public static double ParabolaVertex(LossCell left, LossCell mid, LossCell right)
    {
        double x0 = left.Log2Lr, y0 = left.MeanLoss, x1 = mid.Log2Lr, y1 = mid.MeanLoss, x2 = right.Log2Lr, y2 = right.MeanLoss;
        var a = (x1 - x0) * (y1 - y2);
        var b = (x1 - x2) * (y1 - y0);
        var denominator = a - b;
        // Flat or collinear: no curvature to locate a vertex with.
        if (Math.Abs(denominator) <= 1e-12 * (Math.Abs(a) + Math.Abs(b) + double.Epsilon)) return x1;
        var vertex = x1 - 0.5 * ((x1 - x0) * a - (x1 - x2) * b) / denominator;
        return Math.Clamp(vertex, x0, x2);
    }

    private static bool Better(LossCell candidate, LossCell best)
    {
        if (candidate.MeanLoss != best.MeanLoss) return candidate.MeanLoss < best.MeanLoss;
        return (double)candidate.Penalized / candidate.Seeds < (double)best.Penalized / best.Seeds;
    }
}
