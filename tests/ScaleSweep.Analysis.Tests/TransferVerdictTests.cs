using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

/// <summary>The verdict by transfer penalty (and by spread): flat basins, few seeds, clear drift.</summary>
public class TransferVerdictTests
{
    private static readonly TransferSettings ByPenalty = new("width", 1.0) { ToleranceLoss = 0.01 };

    [Fact]
    public void A_flat_bottom_whose_optimum_moves_transfers_by_penalty_with_a_large_spread()
    {
        // Flat from 2^-10 to 2^-6; a tilt of 0.0005 nats per log2 unit puts the grid minimum at −10 for the small widths
        // and at −6 for the large ones; the parabola through the minimum and the steep wall beside it moves η* 0.4995
        // inwards: −9.5005 and −6.4995, a spread of 3.001. At the large widths −9.5005 lies between −10 (2.001) and
        // −9 (2.0005): 2.00075025, against 1.99924975 at their own η* (between −7 at 1.9995 and −6 at 1.999).
        var trials = Trials.Grid("mup", [64, 128, 256, 512], Trials.Range(-14, -2, 1), [0, 1, 2],
            (w, x, _) => 2 + Math.Pow(Math.Max(0, Math.Abs(x + 8) - 2), 2) + 0.0005 * (w <= 128 ? 1 : -1) * (x + 8));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByPenalty).Report.Results);
        Assert.Equal(3.001, result.Spread, 9);
        Assert.Equal(TransferVerdict.Transfers.Name, result.Verdict);
        Assert.Equal(TransferCriterion.Penalty.Name, result.Criterion);
        Assert.True(result.Transfers);
        Assert.Equal(0.0015005 / 1.99924975, result.Penalty!.Value, 9);
        Assert.Null(result.SeedsToSettle);

        // The same landscape judged by the spread alone (a spec with only tolerance_log2) does not transfer.
        var bySpread = Assert.Single(TransferAnalyzer.Analyze(trials, new TransferSettings("width", 1.0)).Report.Results);
        Assert.Equal(TransferVerdict.DoesNotTransfer.Name, bySpread.Verdict);
        Assert.Equal(TransferCriterion.Spread.Name, bySpread.Criterion);
        Assert.False(bySpread.Transfers);
    }

    [Fact]
    public void Two_seeds_that_disagree_are_inconclusive_with_the_seeds_that_would_settle_it()
    {
        // At each width the two seeds' optima sit 1 log2 either side of −9: the mean curve's η* is −9 at both widths
        // (penalty 0), but a resample of one seed twice moves η* by 1, and the penalty to 0.05·2²/2 = 10%.
        var trials = Trials.Grid("mup", [64, 256], Trials.Range(-14, -4, 1), [0, 1],
            (_, x, s) => 2 + 0.05 * Math.Pow(x + 9 + (s == 0 ? 1 : -1), 2));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByPenalty).Report.Results);
        Assert.Equal(0, result.Penalty!.Value, 9);
        Assert.Equal(0, result.PenaltyLow!.Value, 9);
        Assert.Equal(0.1, result.PenaltyHigh!.Value, 9); // both widths pure and opposite: one replicate in eight
        Assert.Equal(TransferVerdict.Inconclusive.Name, result.Verdict);
        Assert.False(result.Transfers);
        // Half-width 0.1 on the tolerance's side, gap 0.01: 2·(0.1/0.01)² = 200 seeds (201 to clear it strictly).
        Assert.InRange(result.SeedsToSettle!.Value, 200, 201);
    }

    [Fact]
    public void A_clear_drift_does_not_transfer_even_with_noise()
    {
        var random = new Random(5);
        var trials = Trials.Grid("sp", [64, 128, 256, 512], Trials.Range(-16, -4, 1), [0, 1, 2],
            (w, x, _) => 2 + 0.05 * Math.Pow(x - (-8 - Math.Log2(w / 64.0) + 0.3 * (random.NextDouble() - 0.5)), 2));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByPenalty).Report.Results);
        Assert.Equal(TransferVerdict.DoesNotTransfer.Name, result.Verdict);
        Assert.True(result.PenaltyLow > 0.01, $"penalty interval [{result.PenaltyLow}, {result.PenaltyHigh}]");
        Assert.Null(result.SeedsToSettle);
    }

    [Fact]
    public void One_scale_is_inconclusive()
    {
        var trials = Trials.Grid("mup", [64], Trials.Range(-12, -6, 1), [0], (_, x, _) => 2 + Math.Pow(x + 9, 2));
        var result = Assert.Single(TransferAnalyzer.Analyze(trials, ByPenalty).Report.Results);
        Assert.Equal(TransferVerdict.Inconclusive.Name, result.Verdict);
        Assert.Null(result.Penalty);
        Assert.Null(result.Prediction);
    }

    [Theory]
    // figure, low, high, tolerance, seeds → seeds to settle: the smallest n' with half·√(n/n') < gap.
    [InlineData(0.004, 0.002, 0.035, 0.01, 3, 81)]   // half 0.031, gap 0.006: 3·(31/6)² = 80.08
    [InlineData(1.25, 0.75, 1.75, 1.5, 3, 13)]       // half 0.5, gap 0.25: 3·4 = 12 → 13
    [InlineData(2.0, 1.0, 2.5, 1.5, 4, 17)]          // figure above: half 1.0 towards the tolerance, gap 0.5: 4·4 = 16 → 17
    public void Seeds_to_settle_shrink_the_half_width_by_the_square_root_of_the_seeds(double figure, double low, double high, double tolerance, int seeds, int expected)
    {
        var decision = TransferDecision.Decide(figure, low, high, tolerance, seeds);
        Assert.Equal(TransferVerdict.Inconclusive, decision.Verdict);
        Assert.Equal(expected, decision.SeedsToSettle);
    }

    [Fact]
    public void An_interval_on_one_side_of_the_tolerance_decides()
    {
        Assert.Equal(new Decision(TransferVerdict.Transfers, null), TransferDecision.Decide(0.004, 0.001, 0.01, 0.01, 3));
        Assert.Equal(new Decision(TransferVerdict.DoesNotTransfer, null), TransferDecision.Decide(0.05, 0.02, 0.09, 0.01, 3));
        Assert.Null(TransferDecision.Decide(0.01, 0.005, 0.02, 0.01, 3).SeedsToSettle); // on the tolerance: no number settles it
    }

    [Fact]
    public void The_verdict_vocabulary_is_closed()
    {
        Assert.Equal(["transfers", "does_not_transfer", "inconclusive"], TransferVerdict.Names.ToArray());
        Assert.True(TransferVerdict.TryParse("inconclusive", out var v));
        Assert.Same(TransferVerdict.Inconclusive, v);
        Assert.False(TransferVerdict.TryParse("maybe", out _));
        Assert.Equal(["penalty", "spread"], TransferCriterion.Names.ToArray());
    }
}
