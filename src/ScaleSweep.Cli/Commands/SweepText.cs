using System.Globalization;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Cli.Commands;

/// <summary>How sweep statuses and transfer verdicts are shown on the terminal and in <c>--json</c>.</summary>
internal static class SweepText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What status, watch and run say while the sweep cannot write its results files.</summary>
    public static string ResultsError(string error) => $"results error: {error} (results kept; written when it clears)";

    public static string StateName(SweepState state) => state switch
    {
        SweepState.Completed => "completed",
        SweepState.Cancelled => "cancelled",
        SweepState.Running => "running",
        _ => "unknown",
    };

    /// <summary>The status document of the CLI contract; a ladder sweep adds <c>pruned</c>, <c>grid_trials</c> and <c>stages</c>.</summary>
    public static JsonObject StatusJson(SweepStatus s)
    {
        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["state"] = StateName(s.State),
            ["total"] = s.Counts.Total,
            ["pending"] = s.Counts.Pending,
            ["running"] = s.Counts.Running,
            ["completed"] = s.Counts.Completed,
            ["diverged"] = s.Counts.Diverged,
            ["failed"] = s.Counts.Failed,
            ["cancelled"] = s.Counts.Cancelled,
            ["host"] = s.Host,
        };
        if (s.ResultsError is not null) json["results_error"] = s.ResultsError;
        if (s.Stages.IsDefaultOrEmpty) return json;
        json["pruned"] = s.Counts.Pruned;
        json["grid_trials"] = s.GridTrials;
        json["stages"] = new JsonArray([.. s.Stages.Select(st => (JsonNode)new JsonObject
        {
            ["ladder"] = st.Ladder,
            ["axis"] = st.Axis,
            ["scale"] = st.Scale,
            ["opened"] = st.Opened,
            ["scales"] = st.Scales,
            ["done"] = st.Done,
        })]);
        return json;
    }

    /// <summary>A ladder's stage for people: <c>mup: width 512, 3 of 4 scales</c> (<c>, done</c> once its last scale is settled).</summary>
    public static string Stage(LadderStage st) =>
        $"{st.Ladder}: {st.Axis} {st.Scale.ToString("0.##", Inv)}, {st.Opened} of {st.Scales} scales{(st.Done ? ", done" : "")}";

    /// <summary>How many trials a ladder sweep planned of its grid: <c>planned 40 of 96 grid trials</c>.</summary>
    public static string Planned(SweepStatus s) => $"planned {s.Counts.Total} of {s.GridTrials} grid trials";

    public static string Counts(TrialCounts c) =>
        $"total {c.Total}  pending {c.Pending}  running {c.Running}  completed {c.Completed}  diverged {c.Diverged}  failed {c.Failed}  cancelled {c.Cancelled}" +
        (c.Pruned > 0 ? $"  pruned {c.Pruned}" : "");

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0}s";

    /// <summary>
    /// The verdict table: one line per parameterization with η* per scale, slope, spread, transfer penalty, the
    /// predicted η* at the target scale, the hold-out check, and the verdict with the criterion that decided it.
    /// </summary>
    public static IEnumerable<string> VerdictLines(TransferReport report)
    {
        foreach (var r in report.Results)
        {
            var slope = r.Slope is { } v ? v.ToString("+0.000;-0.000", Inv) : "n/a";
            var optima = string.Join(" ", r.Points.Select(p => $"{p.Scale.ToString(Inv)}:{p.Log2LrOpt.ToString("0.00", Inv)}"));
            var penalty = r.Penalty is { } pen ? $"  penalty {Percent(pen)} [{Percent(r.PenaltyLow ?? pen)}, {Percent(r.PenaltyHigh ?? pen)}]" : "";
            var predicted = r.Prediction is { } pr
                ? $"  predicted {pr.Target.ToString(Inv)}:{pr.Log2Lr.ToString("0.00", Inv)} [{pr.Low.ToString("0.00", Inv)}, {pr.High.ToString("0.00", Inv)}]"
                : "";
            var holdout = r.Holdout is { } h ? $"  hold-out {h.ErrorLog2.ToString("+0.00;-0.00", Inv)} log2, penalty {Percent(h.LossPenaltyRel)}" : "";
            yield return $"  {r.Parameterization,-16} {r.Axis} {optima}  slope {slope}  spread {r.Spread.ToString("0.000", Inv)}{penalty}{predicted}{holdout}  {Verdict(r)}";
        }
    }

    /// <summary>"transfers (by penalty)", "inconclusive (by spread; about 9 seeds would settle it)".</summary>
    public static string Verdict(TransferResult r)
    {
        var word = TransferVerdict.TryParse(r.Verdict, out var verdict) ? verdict.Text : r.Verdict;
        var settle = r.SeedsToSettle is { } n ? $"; about {n} seeds would settle it" : "";
        return $"{word} (by {r.Criterion}{settle})";
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("0.0#", Inv) + "%";

    /// <summary>The folder's transfer.json, or null when the analysis wrote none.</summary>
    public static TransferReport? ReadTransfer(string directory)
    {
        var path = Path.Combine(directory, ScaleSweep.Analysis.Results.ResultsFolder.TransferJsonFile);
        return File.Exists(path) ? TransferFiles.FromJson(File.ReadAllText(path)) : null;
    }
}
