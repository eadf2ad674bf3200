using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Transfer;
using ScottPlot;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// Training curves at the best grid learning rate of each scale (train loss averaged over seeds per step), one
/// panel per parameterization: "wider is better" should show as curves that sit lower as scale grows.
/// </summary>
public static class CurvesAtOptimumPlot
{
    public const string FileName = "curves_at_opt.png";

    public static PlotFile Write(string path, TransferAnalysis analysis, IReadOnlyList<TrialResult> trials)
    {
        var panels = analysis.Report.Results.Where(r => !r.Points.IsEmpty).Select(r => Panel(r, trials)).ToArray();
        if (panels.Length == 0) panels = [LossVsLrPlot.EmptyPanel()];
        var width = PlotStyle.PanelWidth * panels.Length;
        var multiplot = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1)) multiplot.AddPlot(panel);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, width, PlotStyle.PanelHeight);
        return new PlotFile(path, width, PlotStyle.PanelHeight, "Training loss at the best grid learning rate of each scale, one panel per parameterization");
    }

    private static Plot Panel(TransferResult result, IReadOnlyList<TrialResult> trials)
    {
        var plot = new Plot();
        var any = false;
        for (var i = 0; i < result.Points.Length; i++)
        {
            var point = result.Points[i];
            var runs = trials.Where(t => t.Parameterization == result.Parameterization
                    && ScaleAxis.ValueOf(t, result.Axis) == point.Scale
                    && Math.Round(t.Log2Lr, 9) == Math.Round(point.Log2LrGridMin, 9)
                    && !t.Curve.IsDefaultOrEmpty)
                .ToArray();
            var mean = runs.SelectMany(t => t.Curve)
                .Where(p => double.IsFinite(p.TrainLoss))
                .GroupBy(p => p.Step)
                .OrderBy(g => g.Key)
                .Select(g => (Step: (double)g.Key, Loss: g.Average(p => p.TrainLoss)))
                .ToArray();
            if (mean.Length == 0) continue;
            any = true;
            var line = plot.Add.Scatter(mean.Select(m => m.Step).ToArray(), mean.Select(m => m.Loss).ToArray(), PlotStyle.Series(i));
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{result.Axis} = {PlotStyle.Label(point.Scale)} (lr 2^{PlotStyle.Label(point.Log2LrGridMin)})";
        }
        if (!any) plot.Add.Annotation("no loss curves recorded", Alignment.MiddleCenter);
        plot.Title($"{result.Parameterization}: training curves at η*");
        plot.XLabel("step");
        plot.YLabel("train loss (nats, mean over seeds)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
