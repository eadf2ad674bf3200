namespace ScaleSweep.Analysis.Reports;

/// <summary>The folder or the settings a report was asked for cannot be used (missing folder or file, unknown axis).</summary>
public sealed class ReportInputException(string message) : Exception(message);
