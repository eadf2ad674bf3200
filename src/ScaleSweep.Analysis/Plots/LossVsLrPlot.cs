using System.Globalization;
using ScaleSweep.Abstractions.Vocabulary;
using ScottPlot;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// The figure every μP paper shows: mean loss against log2 learning rate, one curve per scale, one panel per
/// parameterization side by side, η* marked with a diamond. Cells with a diverged or failed seed are drawn as
/// crosses at their penalized mean instead of being joined into the curve.
/// </summary>
public static class LossVsLrPlot
{
    public const string FileName = "loss_vs_lr.png";

    public static PlotFile Write(string path, TransferAnalysis analysis)
    {
        var panels = analysis.Landscapes.Where(l => !l.Scales.IsEmpty).Select(l => Panel(l, ResultFor(analysis, l))).ToArray();
        if (panels.Length == 0) panels = [EmptyPanel()];
        var width = PlotStyle.PanelWidth * panels.Length;
        var multiplot = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1)) multiplot.AddPlot(panel);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, width, PlotStyle.PanelHeight);
        return new PlotFile(path, width, PlotStyle.PanelHeight, "Loss against learning rate, one curve per scale, one panel per parameterization (◆ = η*, × = diverged/failed)");
    }

    private static TransferResult? ResultFor(TransferAnalysis analysis, LossLandscape landscape) =>
        analysis.Report.Results.FirstOrDefault(r => r.Parameterization == landscape.Parameterization && r.Axis == landscape.Axis);

    private static Plot Panel(LossLandscape landscape, TransferResult? result)
    {
        var plot = new Plot();
        // Curves first, then the markers, so the legend lists the scales before the marker explanations.
        for (var i = 0; i < landscape.Scales.Length; i++)
        {
            var grid = landscape.Scales[i];
            var clean = grid.Cells().Where(c => c.Penalized == 0).ToArray();
            var line = plot.Add.Scatter(clean.Select(c => c.Log2Lr).ToArray(), clean.Select(c => c.MeanLoss).ToArray(), PlotStyle.Series(i));
            line.LegendText = $"{landscape.Axis} = {PlotStyle.Label(grid.Scale)}";
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        bool optimumLabelled = false, penaltyLabelled = false;
        for (var i = 0; i < landscape.Scales.Length; i++)
        {
            var grid = landscape.Scales[i];
            var color = PlotStyle.Series(i);
            foreach (var cell in grid.Cells().Where(c => c.Penalized > 0))
            {
                var cross = plot.Add.Marker(cell.Log2Lr, cell.MeanLoss, MarkerShape.Eks, 10, color);
                if (!penaltyLabelled) { cross.LegendText = "diverged/failed seed (penalized)"; penaltyLabelled = true; }
            }
            if (result?.Points.FirstOrDefault(p => p.Scale == grid.Scale) is { } point)
            {
                var star = plot.Add.Marker(point.Log2LrOpt, point.Loss, MarkerShape.FilledDiamond, 14, color);
                star.MarkerLineColor = Colors.Black;
                star.MarkerLineWidth = 1.5f;
                if (!optimumLabelled) { star.LegendText = "η* (parabola refinement)"; optimumLabelled = true; }
            }
        }
        var rates = landscape.Scales.SelectMany(g => g.Log2Lrs).ToArray();
        plot.Axes.Bottom.TickGenerator = PlotStyle.PowerOfTwoTicks(rates.Min(), rates.Max());
        PlotStyle.PadLimits(plot, rates.Min(), rates.Max());
        plot.Title(Title(landscape.Parameterization, result));
        plot.XLabel("learning rate (log2 scale)");
        plot.YLabel("final eval loss (nats, mean over seeds)");
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }

    private static string Title(string parameterization, TransferResult? result) => result is null || result.Points.Length < 2
        ? parameterization
        : Title(parameterization, result.Spread, result.Verdict);

    /// <summary>"mup: spread 0.61 (log2), inconclusive": the verdict's own words (an inconclusive one is not a refusal).</summary>
    internal static string Title(string parameterization, double spread, string verdict) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{parameterization}: spread {spread:0.00} (log2), {(TransferVerdict.TryParse(verdict, out var v) ? v.Text : verdict)}");

    internal static Plot EmptyPanel()
    {
        var plot = new Plot();
        plot.Add.Annotation("no completed trials to plot", Alignment.MiddleCenter);
        return plot;
    }
}
