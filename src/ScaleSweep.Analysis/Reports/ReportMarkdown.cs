using System.Globalization;
using System.Text;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
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
        md.AppendLine(Inv($"Axis **{c.Settings.Axis}**, {Criterion(c.Settings)}. {c.Trials.Count} trials stored{planned}."));
        md.AppendLine();
        Recommendation(md, c);
        Verdicts(md, c);
        Points(md, c);
        Figures(md, c);
        Warnings(md, c);
        TrialCounts(md, c);
        Failures(md, c);
        Settings(md, c);
        return md.ToString();
    }

    /// <summary>The learning rate to use at the target scale, how sure it is, and how well the law predicted the largest measured scale.</summary>
    private static void Recommendation(StringBuilder md, ReportContent c)
    {
        var results = c.Analysis.Report.Results.Where(r => r.Prediction is not null).ToArray();
        if (results.Length == 0) return;
        md.AppendLine("## Recommendation");
        md.AppendLine();
        foreach (var r in results) md.AppendLine($"- {RecommendationLine(r)}");
        md.AppendLine();
        md.AppendLine("η\\* at the target is predicted by a weighted least-squares fit of log2 η\\* against log2 scale (weights: 1 / bootstrap interval width²); " +
            "the 95% interval is a seed bootstrap of the whole procedure (resample the seeds at every scale, re-estimate every η\\*, refit). " +
            "Hold-out: the largest measured scale predicted from the smaller ones; its loss penalty is the interpolated loss at the predicted learning rate minus the best loss there.");
        md.AppendLine();
    }

    /// <summary>"width 8192, mup: η = 2^-7.9, 95% interval 2^-8.4 … 2^-7.4; hold-out error 0.2 log2, loss penalty 0.3%".</summary>
    public static string RecommendationLine(TransferResult r)
    {
        if (r.Prediction is not { } p) return $"{r.Parameterization}: no prediction (fewer than two scales, or a scale ≤ 0)";
        var holdout = r.Holdout is { } h
            ? Inv($"hold-out error {Math.Abs(h.ErrorLog2):0.0#} log2 at {r.Axis} {PlotStyle.Label(h.Scale)}, loss penalty {100 * h.LossPenaltyRel:0.0#}%")
            : "no hold-out check (fewer than three scales)";
        return Inv($"{r.Axis} {PlotStyle.Label(p.Target)}, {r.Parameterization}: η = 2^{p.Log2Lr:0.0#}, 95% interval 2^{p.Low:0.0#} … 2^{p.High:0.0#}; {holdout}");
    }

    private static void Verdicts(StringBuilder md, ReportContent c)
    {
        md.AppendLine("## Verdict");
        md.AppendLine();
        var results = c.Analysis.Report.Results;
        if (results.IsEmpty) { md.AppendLine("No parameterization has completed trials to analyse.").AppendLine(); return; }
        md.AppendLine("| parameterization | axis | scales | slope of log2 η\\* vs log2 scale | spread (log2) [95%] | transfer penalty [95%] | verdict | decided by | loss improves with scale |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|---|");
        foreach (var r in results)
        {
            var slope = r.Slope is { } s ? Inv($"{s:+0.000;-0.000}") : "n/a";
            var spread = r.SpreadLow is { } sl ? Inv($"{r.Spread:0.000} [{sl:0.00}, {r.SpreadHigh:0.00}]") : Inv($"{r.Spread:0.000}");
            var penalty = r.Penalty is { } pen ? Inv($"{100 * pen:0.00}% [{100 * r.PenaltyLow:0.00}%, {100 * r.PenaltyHigh:0.00}%]") : "n/a";
            var settle = r.SeedsToSettle is { } n ? $" (≈{n} seeds would settle it)" : "";
            var verdict = r.Verdict == TransferVerdict.Transfers.Name ? $"**{TransferVerdict.Transfers.Text}**" : Words(r.Verdict) + settle;
            var decidedBy = r.Criterion == TransferCriterion.Penalty.Name
                ? Inv($"penalty ≤ {100 * r.ToleranceLoss:0.##}%")
                : Inv($"spread ≤ {r.ToleranceLog2:0.###} log2");
            md.AppendLine($"| {Cell(r.Parameterization)} | {r.Axis} | {r.Points.Length} | {slope} | {spread} | {penalty} | {verdict} | {decidedBy} | {YesNo(r.MonotonicImprovement)} |");
        }
        md.AppendLine();
        md.AppendLine("η\\* is the learning rate with the lowest final eval loss (mean over seeds), refined by a parabola through the grid " +
            "minimum and its two neighbours in log2 LR. The *transfer penalty* is the largest relative loss cost, over scales, of training with the " +
            "smallest scale's η\\* (loss interpolated on that scale's curve, minus its best loss); the *spread* is max − min of log2 η\\*. " +
            "The deciding figure's 95% seed-bootstrap interval gives the verdict: *transfers* when it lies within the tolerance, *does not transfer* " +
            "when it lies beyond, *inconclusive* when it straddles it. A slope of 0 means η\\* does not move with scale; −1 means η\\* ∝ 1/scale.");
        md.AppendLine();
    }

    private static void Points(StringBuilder md, ReportContent c)
    {
        foreach (var r in c.Analysis.Report.Results)
        {
            md.AppendLine($"### {Cell(r.Parameterization)}: η\\* per {r.Axis}");
            md.AppendLine();
            md.AppendLine($"| {r.Axis} | best grid log2 LR | η\\* (log2 LR) | 95% bootstrap interval | loss at η\\* (nats) | basin: loss within 1% (log2 LR) | on grid edge |");
            md.AppendLine("|---:|---:|---:|---|---:|---|---|");
            foreach (var p in r.Points)
                md.AppendLine(Inv($"| {PlotStyle.Label(p.Scale)} | {p.Log2LrGridMin:0.###} | {p.Log2LrOpt:0.###} | [{p.CiLow:0.###}, {p.CiHigh:0.###}] | {p.Loss:0.0000} | [{p.BasinLow:0.##}, {p.BasinHigh:0.##}] | {(p.AtGridEdge ? "**yes**" : "no")} |"));
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
        var target = c.Settings.Target is { } t ? Inv($", target {t:G}") : ", target twice the largest scale";
        var loss = c.Settings.ToleranceLoss is { } l ? Inv($", tolerance_loss {l:0.####}") : "";
        md.AppendLine(Inv($"- transfer: axis `{c.Settings.Axis}`, tolerance_log2 {c.Settings.ToleranceLog2:0.###}{loss}{target}"));
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

    /// <summary>The rule the verdicts are decided by, for the report's first line.</summary>
    private static string Criterion(TransferSettings s) => s.ToleranceLoss is { } loss
        ? Inv($"verdict by the **transfer penalty**, tolerance **{100 * loss:0.##}%** of the loss")
        : Inv($"verdict by the **spread** of log2 η\\*, tolerance **{s.ToleranceLog2:0.###}** (log2 units)");

    private static string Words(string name) => TransferVerdict.TryParse(name, out var v) ? v.Text : name;

    private static string YesNo(bool value) => value ? "**yes**" : "no";

    /// <summary>Keeps user text from breaking a table row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
