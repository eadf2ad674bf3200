using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

/// <summary>
/// The prediction of η* at a target scale, on landscapes built from a known law log2 η* = a + b·log2(width/64):
/// every seed's loss is a parabola in log2 LR around the law plus that seed's own offset.
/// </summary>
public class TransferPredictionTests
{
    private const double A = -9;
    private const double B = -0.5;
    private static readonly int[] Widths = [64, 128, 256, 512, 1024];

    private static double Law(double width) => A + B * Math.Log2(width / 64.0);

    /// <summary>loss = 2 + k·(x − law(w) − offset(w, seed))², offsets drawn from N(0, sigma) by <paramref name="random"/>.</summary>
    private static List<Abstractions.Trials.TrialResult> Landscape(Random random, int seeds, double sigma, int[]? widths = null, double k = 0.05)
    {
        widths ??= Widths;
        var offsets = widths.ToDictionary(w => w, _ => Enumerable.Range(0, seeds).Select(_ => sigma * Normal(random)).ToArray());
        return Trials.Grid("mup", widths, Trials.Range(-16, -3, 1), Enumerable.Range(0, seeds),
            (w, x, s) => 2 + k * Math.Pow(x - Law(w) - offsets[w][s], 2));
    }

    [Fact]
    public void The_fit_recovers_the_law_and_predicts_the_target()
    {
        var analysis = TransferAnalyzer.Analyze(Landscape(new Random(11), 6, 0.2), new TransferSettings("width", 1.0) { Target = 8192 });
        var law = Assert.Single(analysis.Laws);
        Assert.InRange(law.Line.Slope, B - 0.15, B + 0.15);
        var prediction = Assert.Single(analysis.Report.Results).Prediction!;
        Assert.Equal(8192, prediction.Target);
        Assert.InRange(prediction.Log2Lr, Law(8192) - 0.5, Law(8192) + 0.5);
        Assert.InRange(prediction.Log2Lr, prediction.Low, prediction.High);
        // The band drawn in the plot ends at the target with the prediction's interval.
        Assert.Equal(Math.Log2(8192), law.Band[^1].Log2Scale, 12);
        Assert.Equal(prediction.Low, law.Band[^1].Low, 12);
        Assert.Equal(prediction.High, law.Band[^1].High, 12);
    }

    [Fact]
    public void The_interval_covers_the_truth_at_about_its_nominal_rate()
    {
        // Eight seeds per scale: percentile intervals under-cover with fewer (the bootstrap sees (n−1)/n of the variance).
        var options = new TransferOptions { Resamples = 400 };
        var settings = new TransferSettings("width", 1.0);
        var truth = Law(2 * Widths[^1]);
        const int draws = 200;
        var covered = 0;
        for (var d = 0; d < draws; d++)
        {
            var result = Assert.Single(TransferAnalyzer.Analyze(Landscape(new Random(1000 + d), 8, 0.4), settings, options).Report.Results);
            if (result.Prediction is { } p && p.Low <= truth && truth <= p.High) covered++;
        }
        Assert.InRange((double)covered / draws, 0.85, 1.0);
    }

    [Fact]
    public void An_exact_law_predicts_the_held_out_scale_with_no_penalty()
    {
        // Widths 4× apart put η* on grid points: −9, −10, −11, −12.
        var trials = Landscape(new Random(1), 1, 0, [64, 256, 1024, 4096]);
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0)).Report.Results);
        var holdout = result.Holdout!;
        Assert.Equal(4096, holdout.Scale);
        Assert.Equal(-12, holdout.MeasuredLog2Lr, 9);
        Assert.Equal(-12, holdout.PredictedLog2Lr, 9);
        Assert.Equal(0, holdout.ErrorLog2, 9);
        Assert.Equal(0, holdout.LossPenalty, 9);
        Assert.Equal(0, holdout.LossPenaltyRel, 9);
        var prediction = result.Prediction!;
        Assert.Equal(8192, prediction.Target);
        Assert.Equal(Law(8192), prediction.Log2Lr, 9);
        Assert.Equal(Law(8192), prediction.Low, 9); // one seed: nothing to resample
        Assert.Equal(Law(8192), prediction.High, 9);
    }

    [Fact]
    public void A_broken_law_shows_in_the_hold_out_error_and_penalty()
    {
        // The largest width's η* is 2 log2 below the law: predicted −12, measured −14; loss 2 + 0.05·2² there.
        var trials = Trials.Grid("mup", [64, 256, 1024, 4096], Trials.Range(-16, -3, 1), [0],
            (w, x, _) => 2 + 0.05 * Math.Pow(x - (w == 4096 ? -14 : Law(w)), 2));
        var holdout = Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0)).Report.Results).Holdout!;
        Assert.Equal(2, holdout.ErrorLog2, 9);
        Assert.Equal(0.2, holdout.LossPenalty, 9);
        Assert.Equal(0.1, holdout.LossPenaltyRel, 9);
    }

    [Fact]
    public void Fewer_than_three_scales_have_no_hold_out()
    {
        var result = Assert.Single(TransferAnalyzer.Analyze(Landscape(new Random(2), 2, 0.1, [64, 256]), new TransferSettings("width", 1.0)).Report.Results);
        Assert.Null(result.Holdout);
        Assert.NotNull(result.Prediction);
        Assert.Equal(512, result.Prediction!.Target);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void The_basin_of_a_parabola_is_where_it_rises_by_one_percent(double curvature)
    {
        // loss = 2 + k(x + 9)²: within 1% of 2 for |x + 9| ≤ √(0.02 / k).
        var trials = Trials.Grid("mup", [64], Trials.Range(-12, -6, 0.01), [0], (_, x, _) => 2 + curvature * Math.Pow(x + 9, 2));
        var point = Assert.Single(Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0)).Report.Results).Points);
        var half = Math.Sqrt(0.02 / curvature);
        Assert.Equal(-9 - half, point.BasinLow, 3);
        Assert.Equal(-9 + half, point.BasinHigh, 3);
    }

    [Fact]
    public void A_basin_reaching_the_grid_edge_ends_there()
    {
        var trials = Trials.Grid("mup", [64], Trials.Range(-10, -6, 1), [0], (_, x, _) => 2 + 0.001 * Math.Pow(x + 9, 2));
        var point = Assert.Single(Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0)).Report.Results).Points);
        Assert.Equal((-10.0, -6.0), (point.BasinLow, point.BasinHigh));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
