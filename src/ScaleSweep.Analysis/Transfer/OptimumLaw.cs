using ScaleSweep.Abstractions.Numerics;

using System.Collections.Immutable;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>The bootstrap interval of the fitted log2 η* at one log2 scale.</summary>
public sealed record BandPoint(double Log2Scale, double Low, double High);

/// <summary>One parameterization's fitted law with its 95% bootstrap band from the smallest scale to the target (for the plot).</summary>
public sealed record FittedLaw(string Parameterization, Line Line, ImmutableArray<BandPoint> Band);

/// <summary>
/// The law log2 η* = a + b·log2 scale, fitted by weighted least squares: each η* weighs 1 / w², w its bootstrap
/// interval width (at least <see cref="TransferOptions.MinIntervalWidth"/>, so a noise-free η* does not take all the
/// weight). Predicts η* at a target scale and checks itself on the largest measured scale.
/// </summary>
public static class OptimumLaw
{
    public static double Weight(TransferPoint point, TransferOptions options) =>
        1 / Math.Pow(Math.Max(point.CiHigh - point.CiLow, options.MinIntervalWidth), 2);

    /// <summary>The fitted line through (log2 scale, log2 η*); null with fewer than two distinct scales.</summary>
    public static Line? Fit(IReadOnlyList<ScaleCurve> curves, IReadOnlyList<double> weights) =>
        LeastSquares.Fit([.. curves.Select(c => Math.Log2(c.Scale))], [.. curves.Select(c => c.Optimum.Log2LrOpt)], weights);

    /// <summary>Percentile band of the replicate lines at <paramref name="points"/> evenly spaced log2 scales from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static ImmutableArray<BandPoint> Band(IReadOnlyList<Line> replicates, double from, double to, int points, TransferOptions options)
    {
        if (replicates.Count == 0) return [];
        var band = ImmutableArray.CreateBuilder<BandPoint>(points);
        for (var i = 0; i < points; i++)
        {
            var x = from + (to - from) * i / (points - 1);
            var (low, high) = ProcedureBootstrap.Interval(replicates.Select(l => l.At(x)), options)!.Value;
            band.Add(new BandPoint(x, low, high));
        }
        return band.ToImmutable();
    }

    /// <summary>
    /// The largest scale predicted from the smaller ones (curves ascending in scale, all scales &gt; 0): null with
    /// fewer than three scales, where the fit of the rest would be a line through two points at most.
    /// </summary>
    public static TransferHoldout? Holdout(IReadOnlyList<ScaleCurve> curves, IReadOnlyList<double> weights)
    {
        if (curves.Count < 3) return null;
        var last = curves[^1];
        if (Fit(curves.Take(curves.Count - 1).ToArray(), weights.Take(curves.Count - 1).ToArray()) is not { } line) return null;
        var predicted = line.At(Math.Log2(last.Scale));
        var penalty = TransferPenalty.Absolute(last, predicted);
        return new TransferHoldout(last.Scale, predicted, last.Optimum.Log2LrOpt, predicted - last.Optimum.Log2LrOpt,
            penalty, TransferPenalty.Relative(penalty, TransferPenalty.Best(last)));
    }
}
