namespace ScaleSweep.Abstractions.Numerics;

/// <summary>A fitted straight line y = Intercept + Slope·x.</summary>
public readonly record struct Line(double Intercept, double Slope)
{
    public double At(double x) => Intercept + Slope * x;
}

/// <summary>
/// Least-squares line fits: the one slope estimate of the project (transfer analysis: log2 η* against log2 scale,
/// and its prediction; coordinate check: log2 mean|x| against log2 scale). Here because Analysis and Training
/// both see Abstractions and neither sees the other.
/// </summary>
public static class LeastSquares
{
    /// <summary>Ordinary least-squares slope of y against x; null with fewer than two distinct x.</summary>
    public static double? Slope(IReadOnlyList<double> xs, IReadOnlyList<double> ys) => Fit(xs, ys)?.Slope;

    /// <summary>
    /// The line minimising Σ wᵢ (yᵢ − a − b·xᵢ)² (every weight 1 when <paramref name="weights"/> is null); null with
    /// fewer than two distinct x among the points of positive weight.
    /// </summary>
    public static Line? Fit(IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlyList<double>? weights = null)
    {
        if (xs.Count != ys.Count || (weights is not null && weights.Count != xs.Count)) throw new ArgumentException("xs, ys and weights differ in length");
        if (xs.Count < 2) return null;
        double W(int i) => weights is null ? 1 : weights[i];
        double sw = 0, swx = 0, swy = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sw += W(i);
            swx += W(i) * xs[i];
            swy += W(i) * ys[i];
        }
        if (!(sw > 0)) return null;
        var mx = swx / sw;
        var my = swy / sw;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += W(i) * (xs[i] - mx) * (ys[i] - my);
            sxx += W(i) * (xs[i] - mx) * (xs[i] - mx);
        }
        if (!(sxx > 0)) return null;
        var slope = sxy / sxx;
        return new Line(my - slope * mx, slope);
    }
}
