using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

public class TransferAnalyzerTests
{
    private static readonly int[] Widths = [64, 128, 256, 512, 1024];
    private static readonly TransferSettings ByWidth = new("width", 1.0);

    [Fact]
    public void Sp_like_drift_gives_slope_minus_one_and_no_transfer()
    {
        // η* = 2^(−10 − log2(w/64)): halves with every doubling of width.
        var trials = Trials.Grid("sp", Widths, Trials.Range(-18, -6, 1), [0, 1],
            (w, x, _) => Math.Pow(x - (-10 - Math.Log2(w / 64.0)), 2) + 1);
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Report.Results);
        Assert.Equal(-1.0, result.Slope!.Value, 9);
        Assert.Equal(4.0, result.Spread, 9);
        Assert.False(result.Transfers);
        Assert.Equal(Widths.Select(w => (double)w), result.Points.Select(p => p.Scale));
        Assert.Equal(Widths.Select(w => -10 - Math.Log2(w / 64.0)), result.Points.Select(p => p.Log2LrOpt));
    }

    [Fact]
    public void Mup_like_constant_optimum_transfers_and_improves_with_width()
    {
        var trials = Trials.Grid("mup", Widths, Trials.Range(-14, -4, 1), [0, 1, 2],
            (w, x, _) => Math.Pow(x + 9.4, 2) + 3.0 / Math.Log2(w));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Report.Results);
        Assert.Equal(0.0, result.Slope!.Value, 9);
        Assert.Equal(0.0, result.Spread, 9);
        Assert.True(result.Transfers);
        Assert.True(result.MonotonicImprovement);
        Assert.All(result.Points, p => Assert.Equal(-9.4, p.Log2LrOpt, 9));
        Assert.All(result.Points, p => Assert.Equal(-9.0, p.Log2LrGridMin));
    }

    [Fact]
    public void Loss_crossover_is_not_monotonic_improvement()
    {
        var trials = Trials.Grid("mup", [64, 128, 256], Trials.Range(-14, -4, 1), [0],
            (w, x, _) => Math.Pow(x + 9, 2) + (w == 128 ? 5 : 1.0 / w));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Report.Results);
        Assert.False(result.MonotonicImprovement);
    }

    [Fact]
    public void Grid_edge_minimum_is_flagged_with_a_warning()
    {
        var trials = Trials.Grid("sp", [64, 1024], Trials.Range(-12, -6, 1), [0],
            (w, x, _) => Math.Pow(x - (w == 64 ? -9 : -14), 2));
        var analysis = TransferAnalyzer.Analyze(trials, ByWidth);
        var points = Assert.Single(analysis.Report.Results).Points;
        Assert.False(points[0].AtGridEdge);
        Assert.True(points[1].AtGridEdge);
        Assert.Equal(-12, points[1].Log2LrOpt);
        Assert.Contains(analysis.Warnings, w => w.Contains("grid too narrow") && w.Contains("1024"));
    }

    [Fact]
    public void Diverged_trials_count_as_worst_and_are_never_the_optimum()
    {
        // Large learning rates diverge; one diverged trial even reports a spuriously tiny loss.
        var trials = Trials.Grid("sp", [64, 256], Trials.Range(-14, -4, 1), [0, 1],
            (w, x, _) => x >= -6 ? null : Math.Pow(x + 9, 2) + 1);
        trials[trials.FindIndex(t => t.Width == 64 && t.Log2Lr == -5)] = Trials.Make("sp", 64, -5, 0, 0.001, TrialStatus.Diverged);
        var analysis = TransferAnalyzer.Analyze(trials, ByWidth);
        var landscape = Assert.Single(analysis.Landscapes);
        Assert.Equal(Math.Pow(-14 + 9, 2) + 1, landscape.Penalty); // the worst finite loss: the smallest rate
        var cells = landscape.Scales[0].Cells();
        Assert.All(cells.Where(c => c.Log2Lr >= -6), c => { Assert.Equal(landscape.Penalty, c.MeanLoss); Assert.Equal(2, c.Penalized); });
        Assert.All(Assert.Single(analysis.Report.Results).Points, p => Assert.Equal(-9, p.Log2LrOpt, 9));
    }

    [Fact]
    public void Half_diverged_cell_is_averaged_with_the_penalty()
    {
        var trials = Trials.Grid("sp", [64], Trials.Range(-12, -6, 1), [0, 1], (_, x, _) => Math.Pow(x + 9, 2));
        trials[trials.FindIndex(t => t.Log2Lr == -9 && t.Seed == 1)] = Trials.Make("sp", 64, -9, 1, null, TrialStatus.Failed, error: "CUDA out of memory");
        var landscape = Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Landscapes);
        var cell = landscape.Scales[0].Cells().Single(c => c.Log2Lr == -9);
        Assert.Equal((0 + landscape.Penalty) / 2, cell.MeanLoss, 12);
        Assert.Equal(1, cell.Penalized);
    }

    [Fact]
    public void Scale_where_everything_diverged_is_left_out_with_a_warning()
    {
        var trials = Trials.Grid("sp", [64, 128, 256], Trials.Range(-12, -6, 1), [0],
            (w, x, _) => w == 256 ? null : Math.Pow(x + 9, 2));
        var analysis = TransferAnalyzer.Analyze(trials, ByWidth);
        Assert.Equal([64.0, 128.0], Assert.Single(analysis.Report.Results).Points.Select(p => p.Scale));
        Assert.Contains(analysis.Warnings, w => w.Contains("256") && w.Contains("diverged"));
    }

    [Fact]
    public void Cancelled_trials_are_left_out()
    {
        var trials = Trials.Grid("sp", [64, 128], Trials.Range(-12, -6, 1), [0], (_, x, _) => Math.Pow(x + 9, 2));
        trials.Add(Trials.Make("sp", 64, -11, 1, 0.0, TrialStatus.Cancelled));
        var points = Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Report.Results).Points;
        Assert.All(points, p => Assert.Equal(-9, p.Log2LrOpt, 9));
    }

    [Fact]
    public void Bootstrap_interval_contains_the_truth_and_narrows_with_more_seeds()
    {
        const double truth = -9.3;
        (double Low, double High) Interval(int seeds)
        {
            // Each seed has its own optimum, scattered around the truth: noisy but deterministic data.
            var random = new Random(7);
            var offsets = Enumerable.Range(0, seeds).Select(_ => Normal(random) * 0.6).ToArray();
            var trials = Trials.Grid("mup", [256], Trials.Range(-14, -4, 0.5), Enumerable.Range(0, seeds),
                (_, x, s) => Math.Pow(x - (truth + offsets[s]), 2) + 2);
            var point = Assert.Single(Assert.Single(TransferAnalyzer.Analyze(trials, ByWidth).Report.Results).Points);
            Assert.InRange(point.Log2LrOpt, point.CiLow, point.CiHigh);
            return (point.CiLow, point.CiHigh);
        }

        // Percentile intervals under-cover with a handful of seeds (about 80% at 4), so "few" is 8 here.
        var few = Interval(8);
        var many = Interval(64);
        Assert.InRange(truth, few.Low, few.High);
        Assert.InRange(truth, many.Low, many.High);
        Assert.True(many.High - many.Low < 0.6 * (few.High - few.Low), $"64 seeds [{many.Low}, {many.High}] vs 8 seeds [{few.Low}, {few.High}]");
        Assert.True(many.High - many.Low > 0);
    }

    [Fact]
    public void Bootstrap_is_deterministic()
    {
        var random = new Random(3);
        var trials = Trials.Grid("mup", [64, 128], Trials.Range(-12, -6, 1), [0, 1, 2, 3],
            (_, x, _) => Math.Pow(x + 9 + random.NextDouble() - 0.5, 2));
        var first = TransferAnalyzer.Analyze(trials, ByWidth).Report;
        var second = TransferAnalyzer.Analyze([.. Enumerable.Reverse(trials)], ByWidth).Report;
        Assert.Equal(TransferFiles.ToJson(first), TransferFiles.ToJson(second));
    }

    [Fact]
    public void Any_extra_swept_key_can_be_the_axis()
    {
        var trials = new List<TrialResult>();
        foreach (var batch in new[] { 32.0, 128.0, 512.0 })
        foreach (var x in Trials.Range(-12, -4, 1))
            trials.Add(Trials.Make("sp", 64, x, 0, Math.Pow(x - (-10 + 0.5 * Math.Log2(batch / 32)), 2),
                extra: ImmutableSortedDictionary<string, double>.Empty.Add("batch", batch)));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("batch", 1.0)).Report.Results);
        Assert.Equal(0.5, result.Slope!.Value, 9);
        Assert.Equal("batch", result.Axis);
    }

    [Fact]
    public void Unknown_axis_is_rejected()
    {
        var trials = Trials.Grid("sp", [64], [-9.0], [0], (_, _, _) => 1.0);
        Assert.Throws<ArgumentException>(() => TransferAnalyzer.Analyze(trials, new TransferSettings("dropout", 1.0)));
    }

    [Fact]
    public void Transfer_json_uses_the_documented_field_names_and_round_trips()
    {
        var trials = Trials.Grid("mup", [64, 128, 256], Trials.Range(-12, -6, 1), [0, 1], (w, x, s) => Math.Pow(x + 9 + 0.1 * s, 2) + 1.0 / w);
        var json = TransferFiles.ToJson(TransferAnalyzer.Analyze(trials, ByWidth with { ToleranceLoss = 0.01, Target = 4096 }).Report);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(["parameterization", "axis", "points", "slope", "spread", "tolerance_log2", "transfers", "monotonic_improvement",
                "verdict", "criterion", "spread_low", "spread_high", "penalty", "penalty_low", "penalty_high", "tolerance_loss",
                "seeds_to_settle", "prediction", "holdout"],
            result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["scale", "log2_lr_grid_min", "log2_lr_opt", "ci_low", "ci_high", "loss", "at_grid_edge", "basin_low", "basin_high"],
            result.GetProperty("points")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["target", "log2_lr", "low", "high"], result.GetProperty("prediction").EnumerateObject().Select(p => p.Name));
        Assert.Equal(4096, result.GetProperty("prediction").GetProperty("target").GetDouble());
        Assert.Equal(["scale", "predicted_log2_lr", "measured_log2_lr", "error_log2", "loss_penalty", "loss_penalty_rel"],
            result.GetProperty("holdout").EnumerateObject().Select(p => p.Name));
        Assert.Equal("penalty", result.GetProperty("criterion").GetString());
        Assert.Equal(TransferFiles.ToJson(TransferFiles.FromJson(json)), json);
        Assert.Equal(TransferFiles.FromJson(json).Results[0].Holdout, TransferAnalyzer.Analyze(trials, ByWidth with { ToleranceLoss = 0.01, Target = 4096 }).Report.Results[0].Holdout);
    }

    [Fact]
    public void Two_scales_write_a_null_holdout()
    {
        var trials = Trials.Grid("mup", [64, 128], Trials.Range(-12, -6, 1), [0], (_, x, _) => Math.Pow(x + 9, 2));
        using var doc = System.Text.Json.JsonDocument.Parse(TransferFiles.ToJson(TransferAnalyzer.Analyze(trials, ByWidth).Report));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("results")[0].GetProperty("holdout").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("results")[0].GetProperty("seeds_to_settle").ValueKind);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
