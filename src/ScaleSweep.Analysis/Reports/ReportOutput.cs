using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Reports;

/// <summary>What <see cref="ReportWriter.WriteAllAsync"/> produced.</summary>
public sealed record ReportOutput(
    TransferSettings Settings,
    TransferAnalysis Analysis,
    int TrialCount,
    string TransferJsonPath,
    string TransferParquetPath,
    string ReportPath,
    ImmutableArray<PlotFile> Plots);
