using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// log2 η* against log2 scale, one line per parameterization, with the seed-bootstrap interval as error bars.
/// A flat line is transfer; a line with slope −1 is η* ∝ 1/scale. Minima on the grid edge are circled.
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
        var plot = results.Length == 0 ? LossVsLrPlot.EmptyPanel() : Draw(results, axis);
        plot.SavePng(path, Width, Height);
        return new PlotFile(path, Width, Height, $"Optimal learning rate η* against {axis}, one line per parameterization (bars: 95% bootstrap interval over seeds; ○ = minimum on the grid edge)");
    }

    private static Plot Draw(TransferResult[] results, string axis)
    {
        var plot = new Plot();
        var points = results.SelectMany(r => r.Points).ToArray();
        // log2 of the scale where it can be taken (always for width/depth/experts), raw values otherwise.
        var logX = points.All(p => p.Scale > 0);
        double X(TransferPoint p) => logX ? Math.Log2(p.Scale) : p.Scale;
        var edgeLabelled = false;
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var color = PlotStyle.Series(i);
            var xs = r.Points.Select(X).ToArray();
            var ys = r.Points.Select(p => p.Log2LrOpt).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = Legend(r);
            var bars = new ErrorBar(xs, ys, Zeros(xs.Length), Zeros(xs.Length), Zeros(xs.Length), Zeros(xs.Length))
            {
                XErrorPositive = Zeros(xs.Length),
                XErrorNegative = Zeros(xs.Length),
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
        if (logX) plot.Axes.Bottom.TickGenerator = PlotStyle.ValueTicksAtLog2(points.Select(p => p.Scale));
        plot.Axes.Left.TickGenerator = PlotStyle.PowerOfTwoTicks(points.Min(p => p.CiLow), points.Max(p => p.CiHigh));
        PlotStyle.PadLimits(plot, points.Min(X), points.Max(X));
        plot.Title($"Optimal learning rate vs {axis} (error bars: 95% bootstrap over seeds)");
        plot.XLabel(logX ? $"{axis} (log2 scale)" : axis);
        plot.YLabel("η*: optimal learning rate (log2 scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static string Legend(TransferResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Parameterization}: slope {(r.Slope is { } s ? s.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) : "n/a")}, spread {r.Spread:0.00}{(r.Transfers ? " (transfers)" : "")}");

    private static double[] Zeros(int n) => new double[n];
}
