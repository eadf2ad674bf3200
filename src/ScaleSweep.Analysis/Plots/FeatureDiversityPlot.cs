using ScottPlot;
using ScaleSweep.Analysis.FeatureDiversity;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// The feature-diversity figure: the relative distance d(k) between streams k blocks apart against k/L, both on
/// log2 axes, one series per measured network with its fitted power law (slope κ), and dotted guides of slope ½
/// and 1 through the first series' smallest gap.
/// </summary>
public static class FeatureDiversityPlot
{
    public sealed record Series(string Label, DiversityFit Fit);

    public static void Save(string path, string title, IReadOnlyList<Series> series)
    {
        if (series.Count == 0) throw new ArgumentException("nothing to plot", nameof(series));
        var plot = new Plot();
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        for (var i = 0; i < series.Count; i++)
        {
            var fit = series[i].Fit;
            var gaps = fit.Gaps.Where(g => g.Distance > 0 && double.IsFinite(g.Distance)).ToArray();
            if (gaps.Length == 0) continue;
            var xs = gaps.Select(g => Math.Log2((double)g.K / fit.Depth)).ToArray();
            var ys = gaps.Select(g => Math.Log2(g.Distance)).ToArray();
            (minX, maxX) = (Math.Min(minX, xs.Min()), Math.Max(maxX, xs.Max()));
            var points = plot.Add.Scatter(xs, ys, PlotStyle.Series(i));
            points.LineWidth = 0;
            points.MarkerSize = 8;
            points.LegendText = $"{series[i].Label}: κ = {PlotStyle.Label(Math.Round(fit.Exponent, 3))}";
            if (!double.IsFinite(fit.Exponent)) continue;
            // The fitted line passes through the mean of the points (least squares), in log2 as in ln.
            var (mx, my) = (xs.Average(), ys.Average());
            var line = plot.Add.Line(xs[0], my + fit.Exponent * (xs[0] - mx), xs[^1], my + fit.Exponent * (xs[^1] - mx));
            line.Color = PlotStyle.Series(i);
            line.LineWidth = 2;
        }
        if (!double.IsFinite(minX)) throw new ArgumentException("no positive distance to plot", nameof(series));
        var first = series[0].Fit.Gaps.FirstOrDefault(g => g.Distance > 0 && double.IsFinite(g.Distance));
        if (first is not null)
            foreach (var slope in new[] { 0.5, 1.0 })
            {
                var x0 = Math.Log2((double)first.K / series[0].Fit.Depth);
                var y0 = Math.Log2(first.Distance);
                var guide = plot.Add.Line(x0, y0, maxX, y0 + slope * (maxX - x0));
                guide.Color = Colors.Gray;
                guide.LinePattern = LinePattern.Dotted;
                guide.LegendText = $"slope {PlotStyle.Label(slope)}";
            }
        plot.Title(title);
        plot.XLabel("k / L (block gap over depth, log2 scale)");
        plot.YLabel("relative distance d(k) (log2 scale)");
        plot.Axes.Bottom.TickGenerator = PlotStyle.PowerOfTwoTicks(minX, maxX);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => $"2^{v:0.#}" };
        plot.Font.Automatic(); // κ and μ need a font that has them
        plot.ShowLegend(Alignment.LowerRight);
        PlotStyle.PadLimits(plot, minX, maxX);
        plot.SavePng(path, PlotStyle.PanelWidth + 160, PlotStyle.PanelHeight);
    }
}
