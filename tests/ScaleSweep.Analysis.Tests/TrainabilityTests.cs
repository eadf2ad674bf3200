using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Trainability;

namespace ScaleSweep.Analysis.Tests;

/// <summary>From the trials of a σ_w² × depth sweep to cells, predictions and the agreement.</summary>
public class TrainabilityTests
{
    private static TrialResult Trial(double sigmaW2, int depth, double lr, int seed, double? accuracy,
        TrialStatus status = TrialStatus.Completed, string extraKey = "sigma_w2", double? dropout = null)
    {
        var extra = ImmutableSortedDictionary<string, double>.Empty.Add(extraKey, sigmaW2);
        if (dropout is { } p) extra = extra.Add("dropout", p);
        return Trials.Make("gaussian", 32, Math.Log2(lr), seed, 1.0, status, extra: extra) with
        {
            Depth = depth,
            Lr = lr,
            EvalAccuracy = accuracy,
        };
    }

    [Fact]
    public void Usable_trials_are_the_completed_and_diverged_ones()
    {
        TrialResult[] trials =
        [
            Trial(1, 2, 0.1, 0, 0.9),
            Trial(1, 2, 0.1, 1, null, TrialStatus.Diverged),
            Trial(1, 2, 0.1, 2, null, TrialStatus.Failed, extraKey: "width"),
            Trial(1, 2, 0.1, 3, null, TrialStatus.Cancelled),
        ];
        Assert.Equal([0, 1], TrainabilityTrials.Usable(trials).Select(t => t.Seed));
    }

    [Fact]
    public void Usable_trials_need_a_sigma_w2_column()
    {
        var error = Assert.Throws<TrainabilityInputException>(() => TrainabilityTrials.Usable([Trial(1, 2, 0.1, 0, 0.9, extraKey: "width")]));
        Assert.Contains("sigma_w2", error.Message);
    }

    [Fact]
    public void At_learning_rate_matches_to_a_relative_1e_9()
    {
        TrialResult[] trials = [Trial(1, 2, 0.05, 0, 0.9), Trial(1, 2, 0.05 * (1 + 1e-12), 1, 0.9), Trial(1, 2, 0.0500001, 2, 0.9)];
        Assert.Equal([0, 1], TrainabilityTrials.AtLearningRate(trials, 0.05).Select(t => t.Seed));
        Assert.Empty(TrainabilityTrials.AtLearningRate(trials, 0.1));
    }

    [Fact]
    public void Swept_gives_the_single_value_of_a_key_and_rejects_several()
    {
        TrialResult[] one = [Trial(1, 2, 0.1, 0, 0.9, dropout: 0.1), Trial(2, 2, 0.1, 0, 0.9, dropout: 0.1)];
        Assert.Equal(0.1, TrainabilityTrials.Swept(one, "dropout"));
        Assert.Null(TrainabilityTrials.Swept(one, "sigma_b2"));

        TrialResult[] two = [Trial(1, 2, 0.1, 0, 0.9, dropout: 0.1), Trial(1, 2, 0.1, 0, 0.9, dropout: 0.2)];
        var error = Assert.Throws<TrainabilityInputException>(() => TrainabilityTrials.Swept(two, "dropout"));
        Assert.Contains("varies dropout", error.Message);
    }

    [Fact]
    public void Rows_average_seeds_take_the_best_learning_rate_and_count_failures_to_train_as_chance()
    {
        TrialResult[] trials =
        [
            Trial(1, 2, 0.1, 0, 0.8), Trial(1, 2, 0.1, 1, 0.6),                               // lr 0.1: 0.7
            Trial(1, 2, 0.2, 0, 0.9), Trial(1, 2, 0.2, 1, null, TrialStatus.Diverged),       // lr 0.2: (0.9 + chance) / 2
            Trial(1, 30, 0.1, 0, null),                                                       // no accuracy: chance
            Trial(4, 2, 0.1, 0, 0.5),
        ];
        var rows = TrainabilityTrials.Rows(trials, chance: 0.1);
        Assert.Equal(
            [new TrainabilityRow(1, 2, 0.7), new TrainabilityRow(1, 30, 0.1), new TrainabilityRow(4, 2, 0.5)],
            rows.OrderBy(r => r.SigmaW2).ThenBy(r => r.Depth).Select(r => r with { Accuracy = Math.Round(r.Accuracy, 12) }));
    }

    [Fact]
    public void Analyze_predicts_trainable_below_six_xi_c_and_counts_agreement()
    {
        TrainabilityRow[] rows = [new(1, 10, 0.9), new(1, 40, 0.1), new(2, 10, 0.2), new(2, 1000, 0.9)];
        var calls = new List<double>();
        double XiC(double sigmaW2)
        {
            calls.Add(sigmaW2);
            return sigmaW2 == 1 ? 5 : double.PositiveInfinity; // 6 ξ_c = 30 at σ_w² = 1; edge of chaos at 2
        }

        var report = TrainabilityAnalysis.Analyze(rows, XiC, new TrainabilityOptions(Chance: 0.1));

        Assert.Equal([1.0, 2.0], calls);
        Assert.Equal(0.5, report.Threshold, 12); // halfway between chance and the best cell
        Assert.Equal([true, false, true, true], report.Cells.Select(c => c.PredictedTrainable));
        Assert.Equal([true, false, false, true], report.Cells.Select(c => c.Trainable));
        Assert.Equal(0.75, report.Agreement);
        Assert.Equal([1.0, 2.0], report.SigmaW2Values);
        Assert.Equal([10, 40, 1000], report.DepthValues);
    }

    [Fact]
    public void Curve_spans_the_tiles_and_half_a_step_either_side()
    {
        var report = TrainabilityAnalysis.Analyze([new(1, 2, 0.5), new(2, 2, 0.5), new(3, 2, 0.5)], _ => 1.0);
        var curve = TrainabilityPlot.CurveSigmaW2(report);
        Assert.Equal(161, curve.Count);
        Assert.Equal(0.5, curve[0], 12);
        Assert.Equal(3.5, curve[^1], 12);
        Assert.Equal(2.0, curve[80], 12);

        var single = TrainabilityAnalysis.Analyze([new(0.25, 2, 0.5)], _ => 1.0);
        var clamped = TrainabilityPlot.CurveSigmaW2(single, points: 5);
        Assert.Equal([1e-3, 1e-3, 0.25, 0.5, 0.75], clamped.Select(w => Math.Round(w, 12)));
    }
}
