using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Reports;

/// <summary>
/// The one entry point from a results folder to its analysis: reads trials.parquet and curves.parquet, runs the
/// transfer analysis, and writes transfer.json, transfer.parquet, plots/*.png and report.md next to them.
/// </summary>
public static class ReportWriter
{
    /// <summary>What a spec without a transfer section gets: axis width, the penalty decides at 1%.</summary>
    public static TransferSettings DefaultSettings { get; } =
        new(ScaleAxis.Width.Name, 1.0) { ToleranceLoss = TransferSettings.DefaultToleranceLoss };

    /// <summary>
    /// The settings to analyse a folder with: the folder's sweep.json (else <see cref="DefaultSettings"/>), with
    /// the arguments overriding when given. A tolerance in loss switches the verdict to the penalty criterion.
    /// </summary>
    public static TransferSettings ResolveSettings(string resultsDir, string? axis = null, double? toleranceLog2 = null,
        double? toleranceLoss = null, double? target = null)
    {
        var stored = SweepInfo.TryRead(resultsDir)?.Transfer ?? DefaultSettings;
        return stored with
        {
            Axis = string.IsNullOrWhiteSpace(axis) ? stored.Axis : axis.Trim(),
            ToleranceLog2 = toleranceLog2 ?? stored.ToleranceLog2,
            ToleranceLoss = toleranceLoss ?? stored.ToleranceLoss,
            Target = target ?? stored.Target,
        };
    }

    /// <summary>
    /// Regenerates every analysis file of <paramref name="resultsDir"/>. Throws <see cref="ReportInputException"/>
    /// when the folder or its trials.parquet is missing, or the axis is not a column of the results.
    /// </summary>
    public static async Task<ReportOutput> WriteAllAsync(string resultsDir, TransferSettings? settings = null, TransferOptions? options = null, CancellationToken ct = default)
    {
        if (!Directory.Exists(resultsDir)) throw new ReportInputException($"results folder not found: {resultsDir}");
        if (!ResultsReader.HasResults(resultsDir)) throw new ReportInputException($"no {ResultsFolder.TrialsFile} in {resultsDir}");
        settings ??= ResolveSettings(resultsDir);
        if (!double.IsFinite(settings.ToleranceLog2) || settings.ToleranceLog2 < 0)
            throw new ReportInputException($"tolerance must be a number ≥ 0 (log2 units), got {settings.ToleranceLog2}");
        if (settings.ToleranceLoss is { } loss && !(double.IsFinite(loss) && loss >= 0))
            throw new ReportInputException($"tolerance-loss must be a number ≥ 0 (0.01 = 1%), got {loss}");
        if (settings.Target is { } target && !(double.IsFinite(target) && target > 0))
            throw new ReportInputException($"target must be a positive number, got {target}");

        var table = await ResultsReader.ReadAsync(resultsDir, ct);
        if (!ScaleAxis.IsKnown(settings.Axis, table.ExtraColumns))
            throw new ReportInputException($"unknown axis '{settings.Axis}': use one of {string.Join(", ", ScaleAxis.Available(table.ExtraColumns))}");
        var trials = table.Trials;
        var analysis = trials.IsEmpty
            ? new TransferAnalysis(new TransferReport([]), [], ["no trials are stored yet"])
            : TransferAnalyzer.Analyze(trials, settings, options);

        var jsonPath = Path.Combine(resultsDir, ResultsFolder.TransferJsonFile);
        var parquetPath = Path.Combine(resultsDir, ResultsFolder.TransferParquetFile);
        TransferFiles.WriteJson(jsonPath, analysis.Report);
        await TransferFiles.WriteParquetAsync(parquetPath, analysis.Report, ct);

        var plotsDir = Path.Combine(resultsDir, ResultsFolder.PlotsFolder);
        Directory.CreateDirectory(plotsDir);
        ImmutableArray<PlotFile> plots =
        [
            LossVsLrPlot.Write(Path.Combine(plotsDir, LossVsLrPlot.FileName), analysis),
            OptimumDriftPlot.Write(Path.Combine(plotsDir, OptimumDriftPlot.FileName), analysis),
            CurvesAtOptimumPlot.Write(Path.Combine(plotsDir, CurvesAtOptimumPlot.FileName), analysis, trials),
        ];

        var specPath = Path.Combine(resultsDir, ResultsFolder.SpecFile);
        var content = new ReportContent(resultsDir, settings, analysis, trials, plots, SweepInfo.TryRead(resultsDir),
            File.Exists(specPath) ? await File.ReadAllTextAsync(specPath, ct) : null);
        var reportPath = Path.Combine(resultsDir, ResultsFolder.ReportFile);
        ResultsFolder.WriteTextAtomic(reportPath, ReportMarkdown.Render(content));
        return new ReportOutput(settings, analysis, trials.Length, jsonPath, parquetPath, reportPath, plots);
    }
}
