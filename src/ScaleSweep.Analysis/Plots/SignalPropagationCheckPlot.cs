using ScottPlot;
using ScottPlot.Plottables;
using ScaleSweep.Analysis.SignalPropagation;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// Measured against mean-field statistics per layer for real random networks: q^l (squared length), c^l
/// (correlation of two inputs) and the per-layer gradient ratio ‖δ^l‖²/‖δ^(l+1)‖² against χ₁: the layers of a
/// <see cref="SignalPropagationComparison"/>. Error bars are standard errors over networks.
/// </summary>
public static class SignalPropagationCheckPlot
{
    public static void Save(string path, string title, IReadOnlyList<SignalLayerComparison> layers, int width = 1500, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("no layers to plot", nameof(layers));
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(3);
        Panel(multiplot.GetPlot(0), title, "q^l (mean squared pre-activation)", layers,
            l => l.MeasuredQ, l => l.QError, l => l.TheoryQ, "mean-field length map");
        Panel(multiplot.GetPlot(1), "correlation c^l", "c^l (correlation of the two inputs)", layers,
            l => l.MeasuredC, l => l.CError, l => l.TheoryC, "mean-field correlation map");
        Panel(multiplot.GetPlot(2), "gradient growth per layer", "‖δ^l‖² / ‖δ^(l+1)‖²", layers,
            l => l.MeasuredGradientRatio, _ => 0, l => l.TheoryGradientRatio, "χ₁ at q^l");
        multiplot.SavePng(path, width, height);
    }

    private static void Panel(Plot plot, string title, string yLabel, IReadOnlyList<SignalLayerComparison> layers,
        Func<SignalLayerComparison, double> measured, Func<SignalLayerComparison, double> error,
        Func<SignalLayerComparison, double> theory, string theoryLabel)
    {
        var shown = layers.Where(l => double.IsFinite(measured(l)) && double.IsFinite(theory(l))).ToArray();
        if (shown.Length > 0)
        {
            var xs = shown.Select(l => (double)l.Index).ToArray();
            var curve = plot.Add.Scatter(xs, shown.Select(theory).ToArray(), PlotStyle.Series(0));
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            curve.LegendText = theoryLabel;

            var ys = shown.Select(measured).ToArray();
            var points = plot.Add.Scatter(xs, ys, PlotStyle.Series(1));
            points.LineWidth = 0;
            points.MarkerSize = 7;
            points.LegendText = "measured (mean over networks)";
            var errors = shown.Select(error).ToArray();
            if (errors.Any(e => e > 0))
            {
                points.LegendText = "measured (± s.e. over networks)";
                var zeros = new double[xs.Length];
                plot.Add.Plottable(new ErrorBar(xs, ys, zeros, zeros, errors, errors)
                {
                    XErrorPositive = zeros,
                    XErrorNegative = zeros,
                    YErrorPositive = errors,
                    YErrorNegative = errors,
                    Color = PlotStyle.Series(1),
                    CapSize = 4,
                });
            }
            plot.ShowLegend(Edge.Bottom); // below the panel: the points may sit anywhere inside it
        }
        plot.Title(title);
        plot.XLabel("layer l");
        plot.YLabel(yLabel);
        plot.Font.Automatic(); // q^l, χ₁, δ and ‖ need a font that has them
    }
}
