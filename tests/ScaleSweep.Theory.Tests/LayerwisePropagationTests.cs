using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Theory.Tests;

public class LayerwisePropagationTests
{
    [Fact]
    public void LinearNetworkFollowsItsExactRecursion()
    {
        var network = new RandomNetwork(Activation.Linear, 0.9, 0.1);
        var layers = LayerwisePropagation.Propagate(network, q0: 2.0, c0: 0.3, depth: 20);
        Assert.Equal(21, layers.Count);
        double q = 2.0, c = 0.3;
        foreach (var layer in layers.Skip(1))
        {
            (q, c) = (0.9 * q + 0.1, (0.9 * q * c + 0.1) / (0.9 * q + 0.1));
            Assert.Equal(q, layer.Q, 1e-12);
            Assert.Equal(c, layer.C, 1e-12);
        }
    }

    [Fact]
    public void ReluNetworkFollowsTheArcCosineRecursion()
    {
        var network = new RandomNetwork(Activation.Relu, 1.8, 0.05);
        var layers = LayerwisePropagation.Propagate(network, q0: 1.0, c0: -0.2, depth: 15);
        double q = 1.0, c = -0.2;
        foreach (var layer in layers.Skip(1))
        {
            var kernel = q / (2 * Math.PI) * (Math.Sqrt(1 - c * c) + (Math.PI - Math.Acos(c)) * c);
            var next = 1.8 * q / 2 + 0.05;
            (q, c) = (next, (1.8 * kernel + 0.05) / next);
            Assert.Equal(q, layer.Q, 1e-12);
            Assert.Equal(c, layer.C, 1e-12);
        }
    }

    [Fact]
    public void TanhLayersConvergeToTheFixedPoints()
    {
        var chaotic = new RandomNetwork(Activation.Tanh, 3.0, 0.05);
        var point = FixedPointAnalysis.Analyze(chaotic);
        var last = LayerwisePropagation.Propagate(chaotic, q0: 1.0, c0: 0.99, depth: 300)[^1];
        Assert.Equal(point.QStar, last.Q, 1e-10);
        Assert.Equal(point.CStar, last.C, 1e-8);

        var ordered = new RandomNetwork(Activation.Tanh, 1.0, 0.05);
        var orderedLast = LayerwisePropagation.Propagate(ordered, q0: 1.0, c0: 0.0, depth: 300)[^1];
        Assert.Equal(1.0, orderedLast.C, 1e-8);
    }

    [Fact]
    public void IdenticalInputsStayIdenticalWithoutDropoutButNotWithIt()
    {
        var layers = LayerwisePropagation.Propagate(new RandomNetwork(Activation.Tanh, 3.0, 0.05), 1.0, 1.0, 10);
        Assert.All(layers, layer => Assert.Equal(1.0, layer.C));
        var dropped = LayerwisePropagation.Propagate(new RandomNetwork(Activation.Tanh, 3.0, 0.05, 0.9), 1.0, 1.0, 10);
        Assert.True(dropped[^1].C < 0.9);
    }

    [Fact]
    public void RejectsImpossibleStartingStatistics()
    {
        var network = new RandomNetwork(Activation.Tanh, 1.0, 0.05);
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerwisePropagation.Propagate(network, -1.0, 0.5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerwisePropagation.Propagate(network, 1.0, 1.5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerwisePropagation.Propagate(network, 1.0, 0.5, -1));
    }

    [Fact]
    public void GradientRatiosAreChi1AtEachLayersOwnLengthOverTheKeepRate()
    {
        // φ′ = 1 (linear) and φ′ ∈ {0, 1} (ReLU, half the mass): χ₁ = σ_w² and σ_w²/2 whatever q is.
        var linear = new RandomNetwork(Activation.Linear, 0.9, 0.1, dropoutKeep: 0.8);
        Assert.Equal(Enumerable.Repeat(0.9 / 0.8, 5), LayerwisePropagation.GradientRatios(linear, LayerwisePropagation.Propagate(linear, 2.0, 0.3, 5)).Select(r => Math.Round(r, 12)));
        var relu = new RandomNetwork(Activation.Relu, 1.8, 0.05);
        Assert.All(LayerwisePropagation.GradientRatios(relu, LayerwisePropagation.Propagate(relu, 1.0, 0.5, 7)), r => Assert.Equal(0.9, r, 12));

        // tanh: χ₁ falls as q grows, so a network started above q* has smaller ratios in its first layers.
        var tanh = new RandomNetwork(Activation.Tanh, 2.5, 0.05, dropoutKeep: 0.9);
        var layers = LayerwisePropagation.Propagate(tanh, 10.0, 0.5, 12);
        var ratios = LayerwisePropagation.GradientRatios(tanh, layers);
        Assert.Equal(12, ratios.Count);
        for (var l = 0; l < 12; l++) Assert.Equal(FixedPointAnalysis.Chi1(tanh, layers[l].Q) / 0.9, ratios[l], 14);
        Assert.True(ratios[0] < ratios[^1]);
    }
}
