using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.Tests;

/// <summary>
/// The accuracy claims in GaussianExpectation's documentation: closed-form kernels (erf's arcsine kernel,
/// relu's and abs's arc-cosine kernels) and independent adaptive quadrature for tanh.
/// </summary>
public class GaussianExpectationTests
{
    private static double Erf(double x) => SpecialFunctions.Erf(x);
    private static double ErfPrime(double x) => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);

    // For φ = erf and u₁, u₂ of variance q and correlation c (Williams 1997):
    private static double ErfKernel(double q, double c) => 2 / Math.PI * Math.Asin(2 * q * c / (1 + 2 * q));
    private static double ErfPrimeKernel(double q, double c) => 4 / Math.PI / Math.Sqrt((1 + 2 * q) * (1 + 2 * q) - 4 * q * q * c * c);

    [Theory]
    [InlineData(1e-4)]
    [InlineData(0.5)]
    [InlineData(4.0)]
    [InlineData(50.0)]
    [InlineData(1e4)]
    public void OneDimensionalTanhMatchesAdaptiveQuadratureAtEveryScale(double q)
    {
        static double TanhSquared(double x) => Math.Tanh(x) * Math.Tanh(x);
        static double SechFourth(double x) { var s = 1 - Math.Tanh(x) * Math.Tanh(x); return s * s; }
        Assert.Equal(ReferenceQuadrature.Expect(TanhSquared, q), GaussianExpectation.Single(TanhSquared, q), 1e-13);
        Assert.Equal(ReferenceQuadrature.Expect(SechFourth, q), GaussianExpectation.Single(SechFourth, q), 1e-13);
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    [InlineData(1e3)]
    public void OneDimensionalErfMatchesClosedForms(double q)
    {
        Assert.Equal(ErfKernel(q, 1), GaussianExpectation.Single(x => Erf(x) * Erf(x), q), 1e-14);
        Assert.Equal(ErfPrimeKernel(q, 1), GaussianExpectation.Single(x => ErfPrime(x) * ErfPrime(x), q), 1e-14);
    }

    [Theory]
    [InlineData(0.01, -0.9)]
    [InlineData(0.3, 0.0)]
    [InlineData(1.0, 0.5)]
    [InlineData(4.0, 0.99)]
    [InlineData(30.0, 0.7)]
    [InlineData(1e3, 0.2)]
    [InlineData(1e3, 0.999)]
    public void TwoDimensionalErfMatchesTheArcsineKernel(double q, double c)
    {
        Assert.Equal(ErfKernel(q, c), GaussianExpectation.Pair((a, b) => Erf(a) * Erf(b), q, 1 - c, smooth: true), 1e-13);
        Assert.Equal(ErfPrimeKernel(q, c), GaussianExpectation.Pair((a, b) => ErfPrime(a) * ErfPrime(b), q, 1 - c, smooth: true), 1e-13);
    }

    [Theory]
    [InlineData(0.5, 0.3)]
    [InlineData(3.0, 0.95)]
    public void TwoDimensionalTanhMatchesNestedAdaptiveQuadrature(double q, double c)
    {
        static double Product(double a, double b) => Math.Tanh(a) * Math.Tanh(b);
        Assert.Equal(ReferenceQuadrature.ExpectPair(Product, q, c), GaussianExpectation.Pair(Product, q, 1 - c, smooth: true), 1e-11);
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e-10)]
    public void HalfSquaredDifferenceKeepsItsPrecisionAsCorrelationApproachesOne(double gap)
    {
        // ½E(φ(u₁) − φ(u₂))² = q E φ′² · gap + O(gap²) (Price's theorem); computing it as E φ² − E φφ would lose
        // every digit at gap = 1e-10.
        const double q = 0.8;
        var value = 0.5 * GaussianExpectation.Pair((a, b) => (Erf(a) - Erf(b)) * (Erf(a) - Erf(b)), q, gap, smooth: true);
        var firstOrder = q * ErfPrimeKernel(q, 1) * gap;
        Assert.True(Math.Abs(value / firstOrder - 1) < 10 * gap + 1e-5, $"{value:R} vs {firstOrder:R}");
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-0.6)]
    [InlineData(0.0)]
    [InlineData(0.4)]
    [InlineData(0.9)]
    [InlineData(0.999999)]
    [InlineData(1.0)]
    public void KinkedActivationsMatchTheirArcCosineKernels(double c)
    {
        const double q = 2.5;
        var s = Math.Sqrt(1 - c * c);
        var angle = Math.Acos(c);
        static double Relu(double x) => Math.Max(x, 0);
        static double Step(double x) => x > 0 ? 1 : 0;

        // Cho & Saul arc-cosine kernels of degree 1 and 0, and their odd counterparts for abs and sign.
        Assert.Equal(q / (2 * Math.PI) * (s + (Math.PI - angle) * c), GaussianExpectation.Pair((a, b) => Relu(a) * Relu(b), q, 1 - c, smooth: false), 1e-13);
        Assert.Equal((Math.PI - angle) / (2 * Math.PI), GaussianExpectation.Pair((a, b) => Step(a) * Step(b), q, 1 - c, smooth: false), 1e-14);
        Assert.Equal(q * 2 / Math.PI * (s + c * Math.Asin(c)), GaussianExpectation.Pair((a, b) => Math.Abs(a) * Math.Abs(b), q, 1 - c, smooth: false), 1e-13);
        Assert.Equal(2 / Math.PI * Math.Asin(c), GaussianExpectation.Pair((a, b) => Math.Sign(a) * Math.Sign(b), q, 1 - c, smooth: false), 1e-14);
    }

    [Fact]
    public void KinkedOneDimensionalIntegralsAreExact()
    {
        Assert.Equal(1.5, GaussianExpectation.Single(x => Math.Max(x, 0) * Math.Max(x, 0), 3.0, smooth: false), 1e-14);
        Assert.Equal(0.5, GaussianExpectation.Single(x => x > 0 ? 1 : 0, 3.0, smooth: false), 1e-15);
        // The smooth rule also handles these: its nodes are symmetric about the kink.
        Assert.Equal(1.5, GaussianExpectation.Single(x => Math.Max(x, 0) * Math.Max(x, 0), 3.0), 1e-14);
    }
}
