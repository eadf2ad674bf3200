using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// log2 η* against log2 scale, one line per parameterization, with the seed-bootstrap interval as error bars.
/// A flat line is transfer; a line with slope −1 is η* ∝ 1/scale. Minima on the grid edge are circled. Where the
/// law could be fitted: the fitted line, dashed, extended to the target scale with its bootstrap band, the predicted
/// η* at the target (◆) and the hold-out prediction of the largest measured scale (△).
/// </summary>
public static class OptimumDriftPlot
{
    public const string FileName = "lr_opt_vs_scale.png";
    public const int Width = 820;
    public const int Height = 560;

    public static PlotFile Write(string path, TransferAnalysis analysis)
    {
        var results = analysis.Report.Results.Where(r => !r.Points.IsEmpty).ToArray();
        var axis = results.FirstOrDefault()?.Axis ?? "scale";
        var plot = results.Length == 0 ? LossVsLrPlot.EmptyPanel() : Draw(results, analysis.Laws, axis);
        plot.SavePng(path, Width, Height);
        return new PlotFile(path, Width, Height, $"Optimal learning rate η* against {axis}, one line per parameterization (bars: 95% bootstrap interval over seeds; ○ = minimum on the grid edge; dashed: fitted law to the target with its 95% band, ◆ prediction, △ hold-out prediction of the largest {axis})");
    }

    private static Plot Draw(TransferResult[] results, IReadOnlyList<FittedLaw> laws, string axis)
    {
        var plot = new Plot();
        var points = results.SelectMany(r => r.Points).ToArray();
        // log2 of the scale where it can be taken (always for width/depth/experts), raw values otherwise.
        var logX = points.All(p => p.Scale > 0);
        var ys = points.SelectMany(p => new[] { p.CiLow, p.CiHigh }).ToList();
        var xs = points.Select(X).ToList();
        double X(TransferPoint p) => logX ? Math.Log2(p.Scale) : p.Scale;
        var edgeLabelled = false;
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var color = PlotStyle.Series(i);
            if (logX && laws.FirstOrDefault(l => l.Parameterization == r.Parameterization) is { } law) DrawLaw(plot, r, law, color, xs, ys);
            var rx = r.Points.Select(X).ToArray();
            var ry = r.Points.Select(p => p.Log2LrOpt).ToArray();
            var line = plot.Add.Scatter(rx, ry, color);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = Legend(r);
            var bars = new ErrorBar(rx, ry, Zeros(rx.Length), Zeros(rx.Length), Zeros(rx.Length), Zeros(rx.Length))
            {
                XErrorPositive = Zeros(rx.Length),
                XErrorNegative = Zeros(rx.Length),
                YErrorPositive = r.Points.Select(p => Math.Max(0, p.CiHigh - p.Log2LrOpt)).ToArray(),
                YErrorNegative = r.Points.Select(p => Math.Max(0, p.Log2LrOpt - p.CiLow)).ToArray(),
                Color = color,
                LineWidth = 1.5f,
                CapSize = 6,
            };
            plot.Add.Plottable(bars);
            foreach (var p in r.Points.Where(p => p.AtGridEdge))
            {
                var ring = plot.Add.Marker(X(p), p.Log2LrOpt, MarkerShape.OpenCircle, 18, color);
                if (!edgeLabelled) { ring.LegendText = "minimum on grid edge"; edgeLabelled = true; }
            }
        }
        var targets = results.Select(r => r.Prediction?.Target).OfType<double>();
        if (logX) plot.Axes.Bottom.TickGenerator = PlotStyle.ValueTicksAtLog2(points.Select(p => p.Scale).Concat(targets));
        plot.Axes.Left.TickGenerator = PlotStyle.PowerOfTwoTicks(ys.Min(), ys.Max());
        PlotStyle.PadLimits(plot, xs.Min(), xs.Max());
        plot.Title($"Optimal learning rate vs {axis} (error bars: 95% bootstrap over seeds)");
        plot.XLabel(logX ? $"{axis} (log2 scale)" : axis);
        plot.YLabel("η*: optimal learning rate (log2 scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>The fitted law with its band, the prediction at the target and the hold-out prediction; extends the plotted ranges.</summary>
    private static void DrawLaw(Plot plot, TransferResult r, FittedLaw law, Color color, List<double> xs, List<double> ys)
    {
        if (law.Band.IsEmpty || r.Prediction is not { } prediction) return;
        var band = plot.Add.FillY([.. law.Band.Select(b => b.Log2Scale)], [.. law.Band.Select(b => b.Low)], [.. law.Band.Select(b => b.High)]);
        band.FillColor = color.WithAlpha(0.15);
        band.LineColor = Colors.Transparent;
        var (x0, x1) = (law.Band[0].Log2Scale, law.Band[^1].Log2Scale);
        var fit = plot.Add.Line(x0, law.Line.At(x0), x1, law.Line.At(x1));
        fit.Color = color;
        fit.LinePattern = LinePattern.Dashed;
        fit.LineWidth = 1.5f;
        var target = Math.Log2(prediction.Target);
        plot.Add.Marker(target, prediction.Log2Lr, MarkerShape.FilledDiamond, 12, color);
        if (r.Holdout is { } h) plot.Add.Marker(Math.Log2(h.Scale), h.PredictedLog2Lr, MarkerShape.OpenTriangleUp, 12, color);
        xs.AddRange([x0, x1]);
        ys.AddRange(law.Band.SelectMany(b => new[] { b.Low, b.High }));
        if (r.Holdout is { } held) ys.Add(held.PredictedLog2Lr);
    }

    private static string Legend(TransferResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Parameterization}: slope {(r.Slope is { } s ? s.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) : "n/a")}, spread {r.Spread:0.00}, {TransferVerdict.Get(r.Verdict).Text} by {r.Criterion}{(r.Prediction is { } p ? $", 2^{p.Log2Lr:0.0} at {PlotStyle.Label(p.Target)}" : "")}");

    private static double[] Zeros(int n) => new double[n];
}
