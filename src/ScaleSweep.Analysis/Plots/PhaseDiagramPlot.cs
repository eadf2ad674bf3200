using ScottPlot;

namespace ScaleSweep.Analysis.Plots;

/// <summary>
/// The signal-propagation phase diagram (Schoenholz et al., Deep Information Propagation): the correlation
/// depth scale ξ_c as a heat map over σ_w² (x) × σ_b² (y), with the edge of chaos χ₁ = 1 drawn on top.
/// Takes plain arrays so that Analysis does not depend on the theory library.
/// </summary>
public static class PhaseDiagramPlot
{
    /// <param name="XiC">XiC[row, column] for σ_b² = SigmaB2[row], σ_w² = SigmaW2[column]; +∞ where ξ_c diverges,
    /// NaN where it is undefined.</param>
    /// <param name="CriticalSigmaW2">The edge of chaos per σ_b² row; NaN where there is none.</param>
    /// <param name="ColorCap">ξ_c values above this (and +∞) get the top colour: ξ_c diverges on the critical line.</param>
    public sealed record Figure(
        string Title,
        IReadOnlyList<double> SigmaW2,
        IReadOnlyList<double> SigmaB2,
        double[,] XiC,
        IReadOnlyList<double> CriticalSigmaW2,
        string CriticalLabel = "edge of chaos (χ₁ = 1)",
        double ColorCap = 50.0);

    public static void Save(string path, Figure figure, int width = 900, int height = 640)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var rows = figure.SigmaB2.Count;
        var columns = figure.SigmaW2.Count;
        if (rows == 0 || columns == 0 || figure.XiC.GetLength(0) != rows || figure.XiC.GetLength(1) != columns)
            throw new ArgumentException("XiC must be SigmaB2.Count × SigmaW2.Count and not empty.", nameof(figure));

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(DisplayValues(figure, out var cap));
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.FlipVertically = true; // row 0 (smallest σ_b²) at the bottom
        heatmap.NaNCellColor = Colors.LightGray;
        var (left, right) = CellEdges(figure.SigmaW2);
        var (bottom, top) = CellEdges(figure.SigmaB2);
        heatmap.Rectangle = new CoordinateRect(left, right, bottom, top);

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = $"ξ_c (correlation depth scale, capped at {cap:G3})";

        var critical = Enumerable.Range(0, rows)
            .Where(row => double.IsFinite(figure.CriticalSigmaW2[row]) && figure.CriticalSigmaW2[row] >= left && figure.CriticalSigmaW2[row] <= right)
            .ToArray();
        if (critical.Length > 0)
        {
            var line = plot.Add.Scatter(
                critical.Select(row => figure.CriticalSigmaW2[row]).ToArray(),
                critical.Select(row => figure.SigmaB2[row]).ToArray());
            line.Color = Colors.Red;
            line.LineWidth = 2.5f;
            line.MarkerSize = 0;
            line.LegendText = figure.CriticalLabel;
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Title(figure.Title);
        plot.XLabel("σ_w² (weight variance × fan-in)");
        plot.YLabel("σ_b² (bias variance)");
        plot.Axes.SetLimits(left, right, bottom, top);
        plot.Font.Automatic(); // σ, χ, ξ and superscripts need a font that has them
        plot.SavePng(path, width, height);
    }

    // +∞ becomes the cap (the colour scale would otherwise be unusable); NaN stays NaN (grey cells).
    private static double[,] DisplayValues(Figure figure, out double cap)
    {
        var rows = figure.XiC.GetLength(0);
        var columns = figure.XiC.GetLength(1);
        var largestFinite = 0.0;
        foreach (var value in figure.XiC)
            if (double.IsFinite(value)) largestFinite = Math.Max(largestFinite, value);
        cap = largestFinite > 0 ? Math.Min(figure.ColorCap, largestFinite) : figure.ColorCap;

        var display = new double[rows, columns];
        for (var row = 0; row < rows; row++)
            for (var column = 0; column < columns; column++)
            {
                var value = figure.XiC[row, column];
                display[row, column] = double.IsNaN(value) ? double.NaN : Math.Min(value, cap);
            }
        return display;
    }

    // Cells are centred on the grid values; a single value gets a unit-wide cell.
    private static (double Low, double High) CellEdges(IReadOnlyList<double> values)
    {
        var low = values[0];
        var high = values[^1];
        var half = values.Count > 1 ? 0.5 * (high - low) / (values.Count - 1) : 0.5;
        return (low - half, high + half);
    }
}
