using System.Globalization;
using ScottPlot;
using ScaleSweep.Analysis.Trainability;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// Trainability against the theory (Schoenholz et al., Fig. 5 style): eval accuracy per (σ_w², depth) cell as
/// coloured tiles with the value written in, and the curves depth = 6 ξ_c and 3 ξ_c over σ_w² on top. Cells are
/// drawn as rectangles, not a heat map, because depth grids are rarely evenly spaced. A red frame marks a cell
/// on the other side of the prediction.
/// </summary>
public static class TrainabilityPlot
{
    /// <param name="XiCCurve">ξ_c on a fine σ_w² grid (+∞ at the edge of chaos) for the overlaid curves.</param>
    /// <param name="CriticalSigmaW2">The edge of chaos χ₁ = 1, drawn as a vertical line; null for none.</param>
    public sealed record Figure(
        string Title,
        TrainabilityReport Report,
        IReadOnlyList<(double SigmaW2, double XiC)> XiCCurve,
        double? CriticalSigmaW2 = null);

    /// <summary>
    /// The σ_w² at which to evaluate ξ_c for <see cref="Figure.XiCCurve"/>: evenly over the tiles' span plus half a
    /// grid step on each side, kept ≥ 1e-3 (σ_w² must stay positive).
    /// </summary>
    public static IReadOnlyList<double> CurveSigmaW2(TrainabilityReport report, int points = 161)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var sigmas = report.SigmaW2Values;
        if (sigmas.Count == 0) throw new ArgumentException("no cells to plot", nameof(report));
        var (low, high) = (sigmas[0], sigmas[^1]);
        var pad = sigmas.Count > 1 ? 0.5 * (high - low) / (sigmas.Count - 1) : 0.5;
        return Enumerable.Range(0, points)
            .Select(i => Math.Max(1e-3, low - pad + (high - low + 2 * pad) * i / (points - 1)))
            .ToArray();
    }

    public static void Save(string path, Figure figure, int width = 1000, int height = 760)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var report = figure.Report;
        if (report.Cells.Count == 0) throw new ArgumentException("no cells to plot", nameof(figure));
        var (xEdges, yEdges) = (Edges(report.SigmaW2Values), Edges(report.DepthValues.Select(d => (double)d).ToArray()));
        var (left, right, bottom, top) = (xEdges.First().Low, xEdges.Last().High, Math.Max(0, yEdges.First().Low), yEdges.Last().High);

        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        var span = Math.Max(1e-9, report.BestAccuracy - report.Chance);
        var sigmaIndex = report.SigmaW2Values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var depthIndex = report.DepthValues.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        double Fraction(TrainabilityCell cell) => Math.Clamp((cell.Accuracy - report.Chance) / span, 0, 1);
        (double Low, double High) X(TrainabilityCell cell) => xEdges[sigmaIndex[cell.SigmaW2]];
        (double Low, double High) Y(TrainabilityCell cell) => yEdges[depthIndex[cell.Depth]];
        foreach (var cell in report.Cells)
        {
            var tile = plot.Add.Rectangle(X(cell).Low, X(cell).High, Y(cell).Low, Y(cell).High);
            tile.FillColor = colormap.GetColor(Fraction(cell));
            tile.LineColor = Colors.White;
            tile.LineWidth = 0.5f;
        }
        // Frames after every tile, so no neighbour's border covers them.
        foreach (var cell in report.Cells.Where(c => !c.Agrees))
        {
            var frame = plot.Add.Rectangle(X(cell).Low, X(cell).High, Y(cell).Low, Y(cell).High);
            frame.FillColor = Colors.Transparent;
            frame.LineColor = Colors.Red;
            frame.LineWidth = 3;
        }
        foreach (var cell in report.Cells)
        {
            var label = plot.Add.Text(cell.Accuracy.ToString("0.00", CultureInfo.InvariantCulture),
                0.5 * (X(cell).Low + X(cell).High), 0.5 * (Y(cell).Low + Y(cell).High));
            label.LabelFontColor = Fraction(cell) < 0.6 ? Colors.White : Colors.Black;
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.MiddleCenter;
        }

        // ∞ (edge of chaos) is drawn far above the plot so the curve leaves through the top.
        var curve = figure.XiCCurve.Where(p => !double.IsNaN(p.XiC)).OrderBy(p => p.SigmaW2).ToArray();
        foreach (var (multiple, pattern, text) in new[] { (report.DepthScaleMultiple, LinePattern.Solid, "trainable"), (report.DepthScaleMultiple / 2, LinePattern.Dashed, "") })
        {
            if (curve.Length == 0) break;
            var line = plot.Add.Scatter(curve.Select(p => p.SigmaW2).ToArray(), curve.Select(p => Math.Min(multiple * p.XiC, 10 * top)).ToArray());
            line.Color = Colors.OrangeRed;
            line.LineWidth = 2.5f;
            line.LinePattern = pattern;
            line.MarkerSize = 0;
            line.LegendText = $"depth = {multiple.ToString("0.#", CultureInfo.InvariantCulture)} ξ_c" + (text.Length > 0 ? $" (predicted {text} below)" : "");
        }
        if (figure.CriticalSigmaW2 is { } critical && critical >= left && critical <= right)
        {
            var edge = plot.Add.VerticalLine(critical);
            edge.Color = Colors.Black;
            edge.LinePattern = LinePattern.Dotted;
            edge.LineWidth = 2;
            edge.LegendText = "edge of chaos (χ₁ = 1)";
        }

        plot.Title($"{figure.Title} — agreement {report.Agreement:P0} (threshold {report.Threshold:0.00}; red frame: disagrees)");
        plot.XLabel("σ_w² (weight variance × fan-in)");
        plot.YLabel("depth (hidden layers)");
        plot.Axes.SetLimits(left, right, bottom, top);
        plot.ShowLegend(Edge.Bottom); // outside: inside it would cover cells
        plot.Font.Automatic(); // σ, ξ, χ need a font that has them
        plot.SavePng(path, width, height);
    }

    // Each grid value gets a cell reaching halfway to its neighbours (the grid may be unevenly spaced).
    private static (double Low, double High)[] Edges(IReadOnlyList<double> values)
    {
        if (values.Count == 1) return [(values[0] - 0.5 * Math.Max(1e-9, Math.Abs(values[0])), values[0] + 0.5 * Math.Max(1e-9, Math.Abs(values[0])))];
        return values.Select((v, i) =>
        {
            var low = i > 0 ? 0.5 * (values[i - 1] + v) : v - 0.5 * (values[1] - v);
            var high = i < values.Count - 1 ? 0.5 * (v + values[i + 1]) : v + 0.5 * (v - values[i - 1]);
            return (low, high);
        }).ToArray();
    }
}
