using System.Globalization;
using System.Text;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Reports;

/// <summary>Everything report.md is built from.</summary>
public sealed record ReportContent(
    string ResultsDirectory,
    TransferSettings Settings,
    TransferAnalysis Analysis,
    IReadOnlyList<TrialResult> Trials,
    IReadOnlyList<PlotFile> Plots,
    SweepInfo? Sweep,
    string? SpecYaml);

/// <summary>Renders report.md: verdicts, η* per scale, figures, warnings, trial counts, failures, settings.</summary>
public static class ReportMarkdown
{
    public static string Render(ReportContent c)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Learning-rate transfer report: {c.Sweep?.Name ?? Path.GetFileName(Path.GetFullPath(c.ResultsDirectory))}");
        md.AppendLine();
        var planned = c.Sweep?.PlannedTrials is { } n ? $" of {n} planned" : "";
        md.AppendLine(Inv($"Axis **{c.Settings.Axis}**, tolerance **{c.Settings.ToleranceLog2:0.###}** (log2 units). {c.Trials.Count} trials stored{planned}."));
        md.AppendLine();
        Verdicts(md, c);
        Points(md, c);
        Figures(md, c);
        Warnings(md, c);
        TrialCounts(md, c);
        Failures(md, c);
        Settings(md, c);
        return md.ToString();
    }

    private static void Verdicts(StringBuilder md, ReportContent c)
    {
        md.AppendLine("## Verdict");
        md.AppendLine();
        var results = c.Analysis.Report.Results;
        if (results.IsEmpty) { md.AppendLine("No parameterization has completed trials to analyse.").AppendLine(); return; }
        md.AppendLine("| parameterization | axis | scales | slope of log2 η\\* vs log2 scale | spread (log2) | tolerance | transfers | loss improves with scale |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|");
        foreach (var r in results)
        {
            var slope = r.Slope is { } s ? Inv($"{s:+0.000;-0.000}") : "n/a";
            md.AppendLine(Inv($"| {Cell(r.Parameterization)} | {r.Axis} | {r.Points.Length} | {slope} | {r.Spread:0.000} | {r.ToleranceLog2:0.###} | {YesNo(r.Transfers)} | {YesNo(r.MonotonicImprovement)} |"));
        }
        md.AppendLine();
        md.AppendLine("η\\* is the learning rate with the lowest final eval loss (mean over seeds), refined by a parabola through the grid " +
            "minimum and its two neighbours in log2 LR. *transfers*: the spread max − min of log2 η\\* over scales is within the tolerance. " +
            "A slope of 0 means η\\* does not move with scale; −1 means η\\* ∝ 1/scale.");
        md.AppendLine();
    }

    private static void Points(StringBuilder md, ReportContent c)
    {
        foreach (var r in c.Analysis.Report.Results)
        {
            md.AppendLine($"### {Cell(r.Parameterization)}: η\\* per {r.Axis}");
            md.AppendLine();
            md.AppendLine($"| {r.Axis} | best grid log2 LR | η\\* (log2 LR) | 95% bootstrap interval | loss at η\\* (nats) | on grid edge |");
            md.AppendLine("|---:|---:|---:|---|---:|---|");
            foreach (var p in r.Points)
                md.AppendLine(Inv($"| {PlotStyle.Label(p.Scale)} | {p.Log2LrGridMin:0.###} | {p.Log2LrOpt:0.###} | [{p.CiLow:0.###}, {p.CiHigh:0.###}] | {p.Loss:0.0000} | {(p.AtGridEdge ? "**yes**" : "no")} |"));
            md.AppendLine();
        }
    }

    private static void Figures(StringBuilder md, ReportContent c)
    {
        if (c.Plots.Count == 0) return;
        md.AppendLine("## Figures");
        md.AppendLine();
        foreach (var plot in c.Plots)
        {
            var relative = Path.GetRelativePath(c.ResultsDirectory, plot.Path).Replace('\\', '/');
            var caption = plot.Caption.Replace("*", "\\*");
            md.AppendLine($"![{caption}]({relative})");
            md.AppendLine();
            md.AppendLine($"*{caption}.*");
            md.AppendLine();
        }
    }

    private static void Warnings(StringBuilder md, ReportContent c)
    {
        if (c.Analysis.Warnings.IsEmpty) return;
        md.AppendLine("## Warnings");
        md.AppendLine();
        foreach (var w in c.Analysis.Warnings) md.AppendLine($"- {w.Replace("*", "\\*")}");
        md.AppendLine();
    }

    private static void TrialCounts(StringBuilder md, ReportContent c)
    {
        md.AppendLine("## Trials");
        md.AppendLine();
        md.AppendLine("| parameterization | completed | diverged | failed | cancelled | total |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var g in c.Trials.GroupBy(t => t.Parameterization).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int Count(TrialStatus s) => g.Count(t => t.Status == s);
            md.AppendLine($"| {Cell(g.Key)} | {Count(TrialStatus.Completed)} | {Count(TrialStatus.Diverged)} | {Count(TrialStatus.Failed)} | {Count(TrialStatus.Cancelled)} | {g.Count()} |");
        }
        md.AppendLine();
        md.AppendLine("Diverged and failed trials count as the worst finite loss of their parameterization; cancelled trials are left out.");
        if (c.Trials.Count(t => t.Status == TrialStatus.Pruned) is > 0 and var pruned)
            md.AppendLine($"{pruned} trials were pruned at their rung (`ladder.prune`, in the total) and count as the worst loss too.");
        md.AppendLine();
    }

    private static void Failures(StringBuilder md, ReportContent c)
    {
        var failures = FailureSummary.Of(c.Trials);
        if (failures.Count == 0) return;
        md.AppendLine("## Failed trials");
        md.AppendLine();
        md.AppendLine("| error | trials | example |");
        md.AppendLine("|---|---:|---|");
        foreach (var f in failures) md.AppendLine($"| {Cell(f.Error)} | {f.Count} | `{f.ExampleTrialKey}` ({Cell(f.ExampleParameterization)}) |");
        md.AppendLine();
    }

    private static void Settings(StringBuilder md, ReportContent c)
    {
        md.AppendLine("## Sweep settings");
        md.AppendLine();
        if (c.Sweep is { } s)
        {
            md.AppendLine($"- name: `{s.Name}`");
            if (s.SweepId is { } id) md.AppendLine($"- sweep id: `{id}`");
            md.AppendLine($"- swept keys: {string.Join(", ", s.SweptKeys.Select(k => $"`{k}`"))}");
        }
        md.AppendLine(Inv($"- transfer: axis `{c.Settings.Axis}`, tolerance_log2 {c.Settings.ToleranceLog2:0.###}"));
        md.AppendLine($"- results: `{ResultsFolder.TrialsFile}`, `{ResultsFolder.CurvesFile}`, `{ResultsFolder.TransferJsonFile}`, `{ResultsFolder.TransferParquetFile}`");
        md.AppendLine();
        if (!string.IsNullOrWhiteSpace(c.SpecYaml))
        {
            md.AppendLine("```yaml");
            md.AppendLine(c.SpecYaml.TrimEnd());
            md.AppendLine("```");
            md.AppendLine();
        }
    }

    private static string YesNo(bool value) => value ? "**yes**" : "no";

    /// <summary>Keeps user text from breaking a table row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
