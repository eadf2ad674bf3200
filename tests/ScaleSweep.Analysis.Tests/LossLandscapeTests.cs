using System.Collections.Immutable;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

public sealed class LossLandscapeTests
{
    [Fact]
    public void A_cell_mixing_trials_of_different_configurations_is_named_in_a_warning()
    {
        var dropout = ImmutableSortedDictionary<string, double>.Empty.Add("dropout", 0.1);
        var trials = new[]
        {
            Trials.Make("mup", 64, -8, 0, 0.5),
            Trials.Make("mup", 64, -8, 0, 0.6) with { TrialKey = "other", Depth = 5, Extra = dropout },
            Trials.Make("mup", 64, -7, 0, 0.4),
        };
        var landscape = LossLandscape.Build("mup", trials, "width");
        var warning = Assert.Single(landscape.Warnings);
        Assert.Contains("depth, dropout vary within cells", warning);
        Assert.Equal(0.55, landscape.Scales[0].Cells().Single(c => c.Log2Lr == -8).MeanLoss, 9);
    }

    [Fact]
    public void Trials_that_differ_only_in_the_cell_coordinates_give_no_warning()
    {
        var trials = new[] { Trials.Make("mup", 64, -8, 0, 0.5), Trials.Make("mup", 64, -8, 1, 0.6), Trials.Make("mup", 128, -8, 0, 0.4) };
        Assert.Empty(LossLandscape.Build("mup", trials, "width").Warnings);
    }
}
