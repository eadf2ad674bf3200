using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Theory.Tests;

/// <summary>The qualitative results of Deep Information Propagation, for tanh at σ_b² = 0.05.</summary>
public class DepthScaleTests
{
    private const double SigmaB2 = 0.05;
    private static readonly double Critical = EdgeOfChaos.CriticalSigmaW2(Activation.Tanh, SigmaB2)!.Value;

    private static SignalPropagationPoint Tanh(double sigmaW2, double keep = 1.0) =>
        FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Tanh, sigmaW2, SigmaB2, keep));

    [Fact]
    public void CorrelationDepthScaleGrowsWithoutBoundFromTheOrderedSide()
    {
        var xi = new[] { 0.5, 0.1, 0.01, 1e-3, 1e-4 }.Select(d => Tanh(Critical - d).XiC).ToArray();
        for (var i = 1; i < xi.Length; i++) Assert.True(xi[i] > xi[i - 1], $"ξ_c not increasing: {string.Join(", ", xi)}");
        Assert.True(xi[^1] > 100, $"ξ_c = {xi[^1]} next to the edge of chaos");
    }

    [Fact]
    public void CorrelationDepthScaleGrowsWithoutBoundFromTheChaoticSide()
    {
        var xi = new[] { 1.0, 0.3, 0.03, 3e-3, 3e-4 }.Select(d => Tanh(Critical + d).XiC).ToArray();
        for (var i = 1; i < xi.Length; i++) Assert.True(xi[i] > xi[i - 1], $"ξ_c not increasing: {string.Join(", ", xi)}");
        Assert.True(xi[^1] > 100, $"ξ_c = {xi[^1]} next to the edge of chaos");
    }

    [Fact]
    public void OrderedPhaseHasPerfectCorrelationAndChaoticPhaseDoesNot()
    {
        foreach (var sigmaW2 in new[] { 0.5, 1.0, 1.5, Critical - 0.01 })
        {
            var point = Tanh(sigmaW2);
            Assert.True(point.Chi1 < 1);
            Assert.Equal(1.0, point.CStar);
        }
        foreach (var sigmaW2 in new[] { Critical + 0.05, 2.5, 3.0, 4.0 })
        {
            var point = Tanh(sigmaW2);
            Assert.True(point.Chi1 > 1);
            Assert.InRange(point.CStar, 0.0, 0.999);
            Assert.True(double.IsFinite(point.XiC));
        }
    }

    [Fact]
    public void FixedPointsAreFixedByTheMaps()
    {
        var network = new RandomNetwork(Activation.Tanh, 2.5, SigmaB2);
        var point = FixedPointAnalysis.Analyze(network);
        Assert.Equal(point.QStar, LengthMap.Next(network, point.QStar), 1e-13);
        Assert.Equal(point.CStar, CorrelationMap.Next(network, point.QStar, point.CStar), 1e-12);
        // ...and attracting: the slopes there are the contraction rates behind ξ_q and ξ_c.
        Assert.Equal(-1 / Math.Log(LengthMap.Slope(network, point.QStar)), point.XiQ, 1e-10);
        Assert.Equal(-1 / Math.Log(CorrelationMap.Slope(network, point.QStar, 1 - point.CStar)), point.XiC, 1e-10);
    }

    [Fact]
    public void DropoutDestroysCriticality()
    {
        // Across the dropout-free edge of chaos, c* stays below 1 and ξ_c stays small (Schoenholz et al., §5).
        var sweep = new[] { 1.0, 1.5, Critical - 1e-3, Critical, Critical + 1e-3, 2.0, 3.0, 4.0 };
        foreach (var sigmaW2 in sweep)
        {
            var point = Tanh(sigmaW2, keep: 0.9);
            Assert.True(point.CStar < 0.99, $"σ_w² = {sigmaW2}: c* = {point.CStar}");
            Assert.True(point.XiC < 10, $"σ_w² = {sigmaW2}: ξ_c = {point.XiC}");
        }
        Assert.True(Tanh(Critical).XiC > 1e3);
    }

    [Fact]
    public void LengthDepthScaleStaysFiniteForTanh()
    {
        foreach (var sigmaW2 in new[] { 0.5, Critical, 4.0 })
            Assert.InRange(Tanh(sigmaW2).XiQ, 0.1, 10.0);
    }

    [Fact]
    public void GradientGrowthIsChi1OverKeepRate()
    {
        var plain = new RandomNetwork(Activation.Tanh, 3.0, SigmaB2);
        Assert.Equal(Tanh(3.0).Chi1, FixedPointAnalysis.GradientGrowthPerLayer(plain), 1e-14);
        var dropout = new RandomNetwork(Activation.Tanh, 3.0, SigmaB2, 0.8);
        Assert.Equal(Tanh(3.0, 0.8).Chi1 / 0.8, FixedPointAnalysis.GradientGrowthPerLayer(dropout), 1e-14);
        Assert.True(FixedPointAnalysis.GradientGrowthPerLayer(plain) > 1); // chaotic: exploding gradients
    }

    [Fact]
    public void PhaseDiagramHoldsTheDepthScalesAndTheCriticalLine()
    {
        var diagram = PhaseDiagram.Compute(Activation.Tanh, [1.0, 2.0, 3.0], [0.0, SigmaB2]);
        Assert.Equal(2, diagram.XiC.GetLength(0));
        Assert.Equal(3, diagram.XiC.GetLength(1));
        Assert.Equal(Tanh(2.0).XiC, diagram.XiC[1, 1], 1e-12);
        Assert.Equal(1.0, diagram.CriticalSigmaW2[0], 1e-6);
        Assert.Equal(Critical, diagram.CriticalSigmaW2[1], 1e-12);
    }
}
