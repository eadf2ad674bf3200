using ScottPlot;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// The coordinate-check figure: one panel per step t, mean |x| of every module's output against the scale
/// (width or depth), both on log2 axes. Flat lines mean the parameterization keeps activations scale-stable.
/// </summary>
public static class CoordinateCheckPlot
{
    public sealed record Point(string Module, int T, int Scale, double MeanAbs);

    public static void Save(string path, string title, string axis, IReadOnlyList<Point> points, int width = 1400, int height = 420)
    {
        var steps = points.Select(p => p.T).Distinct().Order().ToArray();
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(steps.Length);
        for (int i = 0; i < steps.Length; i++)
        {
            var plot = multiplot.GetPlot(i);
            plot.Title(i == 0 ? $"{title} — t = {steps[i]}" : $"t = {steps[i]}");
            plot.XLabel($"{axis} (log2 scale)");
            plot.YLabel("mean |x| (log2 scale)");
            foreach (var module in points.Where(p => p.T == steps[i]).GroupBy(p => p.Module))
            {
                var series = module.Where(p => p.MeanAbs > 0).OrderBy(p => p.Scale).ToArray();
                if (series.Length == 0) continue;
                var line = plot.Add.Scatter(series.Select(p => Math.Log2(p.Scale)).ToArray(), series.Select(p => Math.Log2(p.MeanAbs)).ToArray());
                line.LegendText = module.Key;
            }
            plot.Axes.Bottom.TickGenerator = Log2Ticks.For(points.Select(p => Math.Log2(p.Scale)));
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => $"2^{v:0.#}" };
            plot.ShowLegend(Alignment.UpperLeft);
        }
        multiplot.SavePng(path, width, height);
    }
}

/// <summary>Ticks at integer log2 positions labelled as the powers of two they stand for.</summary>
public static class Log2Ticks
{
    public static ScottPlot.TickGenerators.NumericManual For(IEnumerable<double> log2Values)
    {
        var values = log2Values.ToArray();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        if (values.Length == 0) return ticks;
        for (var v = Math.Floor(values.Min()); v <= Math.Ceiling(values.Max()); v++)
            ticks.AddMajor(v, v is >= 0 and <= 16 ? $"{Math.Pow(2, v):0}" : $"2^{v:0}");
        return ticks;
    }
}
