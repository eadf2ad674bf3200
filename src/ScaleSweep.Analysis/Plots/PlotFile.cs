namespace ScaleSweep.Analysis.Plots;

/// <summary>A written figure: its path, pixel size and what it shows (used as the report's caption).</summary>
public sealed record PlotFile(string Path, int Width, int Height, string Caption);
