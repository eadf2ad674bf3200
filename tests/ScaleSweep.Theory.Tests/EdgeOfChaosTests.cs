using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Theory.Tests;

public class EdgeOfChaosTests
{
    [Fact]
    public void TanhWithoutBiasIsCriticalAtUnitWeightVariance()
    {
        // χ₁ = σ_w² φ′(0)² = σ_w² while q* = 0, and χ₁ − 1 ≈ (σ_w² − 1)²/3 just above: the root is σ_w² = 1.
        var critical = EdgeOfChaos.CriticalSigmaW2(Activation.Tanh, 0.0);
        Assert.NotNull(critical);
        Assert.Equal(1.0, critical.Value, 1e-6);
    }

    [Fact]
    public void TanhCriticalPointAtSigmaB2OfFiveHundredthsMatchesAnIndependentComputation()
    {
        const double sigmaB2 = 0.05;
        // Independent method: adaptive Simpson for every Gaussian integral, bisection for q* and for χ₁ = 1.
        static double SechSquared(double x) => 1 - Math.Tanh(x) * Math.Tanh(x);
        double Chi1MinusOne(double sigmaW2)
        {
            var q = ReferenceQuadrature.Bisect(
                q => sigmaW2 * ReferenceQuadrature.Expect(x => Math.Tanh(x) * Math.Tanh(x), q, 1e-15) + sigmaB2 - q,
                sigmaB2, sigmaW2 + sigmaB2, 1e-15);
            return sigmaW2 * ReferenceQuadrature.Expect(x => SechSquared(x) * SechSquared(x), q, 1e-15) - 1;
        }
        var expected = ReferenceQuadrature.Bisect(Chi1MinusOne, 1.5, 2.0, 1e-13);

        var critical = EdgeOfChaos.CriticalSigmaW2(Activation.Tanh, sigmaB2);
        Assert.NotNull(critical);
        Assert.True(Math.Abs(critical.Value - expected) < 1e-10, $"library {critical.Value:R}, reference {expected:R}");
        Assert.Equal(1.76, critical.Value, 1e-2); // the value read off Schoenholz et al.'s phase diagram
    }

    [Theory]
    [InlineData("relu", 0.05, 2.0)]
    [InlineData("relu", 0.5, 2.0)]
    [InlineData("linear", 0.1, 1.0)]
    [InlineData("abs", 0.1, 1.0)]
    public void HomogeneousActivationsAreCriticalWhereChi1IsOne(string name, double sigmaB2, double expected)
    {
        Assert.True(Activation.TryParse(name, out var activation));
        var critical = EdgeOfChaos.CriticalSigmaW2(activation, sigmaB2);
        Assert.NotNull(critical);
        Assert.Equal(expected, critical.Value, 1e-9);
    }

    [Fact]
    public void CriticalWeightVarianceGrowsWithBiasVariance()
    {
        var previous = 0.0;
        foreach (var sigmaB2 in new[] { 0.0, 0.01, 0.05, 0.1, 0.3 })
        {
            var critical = EdgeOfChaos.CriticalSigmaW2(Activation.Tanh, sigmaB2)!.Value;
            Assert.True(critical > previous, $"σ_b² = {sigmaB2}: {critical} after {previous}");
            previous = critical;
        }
    }

    [Fact]
    public void GeluHasNoContinuousEdgeOfChaosAtSmallBias()
    {
        // Its smallest fixed point q* vanishes in a saddle-node near σ_w² ≈ 2.4 and χ₁ jumps across 1 there.
        Assert.Null(EdgeOfChaos.CriticalSigmaW2(Activation.Gelu, 0.05));
    }
}
