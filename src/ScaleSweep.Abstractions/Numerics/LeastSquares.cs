namespace ScaleSweep.Abstractions.Numerics;

/// <summary>
/// Ordinary least-squares line fit: the one slope estimate of the project (transfer analysis: log2 η* against
/// log2 scale; coordinate check: log2 mean|x| against log2 scale). Here because Analysis and Training both see
/// Abstractions and neither sees the other.
/// </summary>
public static class LeastSquares
{
    /// <summary>Slope of y against x; null with fewer than two distinct x.</summary>
    public static double? Slope(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        if (xs.Count != ys.Count) throw new ArgumentException("xs and ys differ in length");
        if (xs.Count < 2) return null;
        var mx = xs.Average();
        var my = ys.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }
        return sxx > 0 ? sxy / sxx : null;
    }
}
