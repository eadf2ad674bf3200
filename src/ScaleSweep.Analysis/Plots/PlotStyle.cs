using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ScaleSweep.Analysis.Plots;

/// <summary>Shared look of the report figures: sizes, colours, and power-of-two tick labels.</summary>
public static class PlotStyle
{
    public const int PanelWidth = 560;
    public const int PanelHeight = 480;

    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>The colour of the i-th series; the same scale keeps its colour across figures.</summary>
    internal static Color Series(int index) => Palette[index % Palette.Length];

    /// <summary>Major ticks at the integers spanning [min, max], labelled 2^k (every other one past a dozen).</summary>
    internal static NumericManual PowerOfTwoTicks(double min, double max)
    {
        var ticks = new NumericManual();
        var lo = (int)Math.Floor(min);
        var hi = (int)Math.Ceiling(max);
        if (hi == lo) { lo--; hi++; }
        var step = Math.Max(1, (int)Math.Ceiling((hi - lo + 1) / 12.0));
        for (var k = lo; k <= hi; k += step) ticks.AddMajor(k, "2^" + k.ToString(CultureInfo.InvariantCulture));
        return ticks;
    }

    /// <summary>Major ticks at log2(value) labelled with the value itself (64, 128, ...).</summary>
    internal static NumericManual ValueTicksAtLog2(IEnumerable<double> values)
    {
        var ticks = new NumericManual();
        foreach (var v in values.Distinct().Order()) ticks.AddMajor(Math.Log2(v), Label(v));
        return ticks;
    }

    public static string Label(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Padding around the data so markers on the edge of the grid are not clipped.</summary>
    internal static void PadLimits(Plot plot, double minX, double maxX)
    {
        var pad = Math.Max(0.25, (maxX - minX) * 0.05);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(minX - pad, maxX + pad);
    }
}
