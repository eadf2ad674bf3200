using ScaleSweep.Analysis.SignalPropagation;

namespace ScaleSweep.Analysis.Tests;

/// <summary>Measured against predicted signal propagation: pairing per layer and the summary figures.</summary>
public class SignalPropagationComparisonTests
{
    private static readonly SignalProfile Theory = new(
        [new(1.0, 0.5), new(1.0, 0.4), new(2.0, 0.3)], [0.5, 0.8]);

    private static readonly SignalProfile Measured = new(
        [new(1.0, 0.5, 0.01, 0.02), new(1.1, 0.35, 0.03, 0.04), new(1.6, 0.33, 0.05, 0.06)], [0.25, 1.0]);

    [Fact]
    public void Layers_pair_measurement_and_theory_with_no_ratio_after_the_last()
    {
        var comparison = SignalPropagationComparison.Compare(Measured, Theory);
        Assert.Equal([0, 1, 2], comparison.Layers.Select(l => l.Index));
        Assert.Equal(new SignalLayerComparison(1, 1.1, 0.03, 1.0, 0.35, 0.04, 0.4, 1.0, 0.8), comparison.Layers[1]);
        Assert.True(double.IsNaN(comparison.Layers[2].MeasuredGradientRatio));
        Assert.True(double.IsNaN(comparison.Layers[2].TheoryGradientRatio));
    }

    [Fact]
    public void Summary_is_the_worst_layer_and_the_geometric_mean_growth()
    {
        var comparison = SignalPropagationComparison.Compare(Measured, Theory);
        Assert.Equal(0.2, comparison.MaxQRelativeError, 12);   // layer 2: 1.6 / 2 − 1
        Assert.Equal(0.05, comparison.MaxCAbsoluteError, 12);  // layer 1: 0.35 − 0.4
        Assert.Equal(0.5, comparison.GradientGrowth, 12);      // √(0.25 · 1)
        Assert.Equal(Math.Sqrt(0.4), comparison.PredictedGradientGrowth, 12);
    }

    [Fact]
    public void Growth_leaves_out_layers_whose_measured_ratio_is_not_positive()
    {
        var comparison = SignalPropagationComparison.Compare(Measured with { GradientRatios = [0.0, 2.0] }, Theory);
        Assert.Equal(2.0, comparison.GradientGrowth, 12);
        Assert.Equal(0.8, comparison.PredictedGradientGrowth, 12); // the same layers on the theory side

        var none = SignalPropagationComparison.Compare(Measured with { GradientRatios = [0.0, double.NaN] }, Theory);
        Assert.True(double.IsNaN(none.GradientGrowth));
        Assert.True(double.IsNaN(none.PredictedGradientGrowth));
    }

    [Fact]
    public void Sides_must_cover_the_same_layers() =>
        Assert.Throws<ArgumentException>(() => SignalPropagationComparison.Compare(Measured, Theory with { Layers = Theory.Layers.Take(2).ToArray() }));
}
