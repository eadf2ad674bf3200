using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.Tests;

public class GaussRuleTests
{
    private static double DoubleFactorial(int n) => n <= 1 ? 1 : n * DoubleFactorial(n - 2);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(40)]
    public void HermiteIntegratesGaussianMomentsToRoundingAccuracy(int power)
    {
        var rule = GaussRule.ProbabilistsHermite(200);
        var moment = rule.Integrate(x => Math.Pow(x, power));
        var exact = DoubleFactorial(power - 1); // E z^(2k) = (2k − 1)!!  (E z² = 1, E z⁴ = 3, ...)
        Assert.True(Math.Abs(moment - exact) <= 1e-13 * exact, $"E z^{power}: {moment:R} vs {exact:R}");
    }

    [Fact]
    public void HermiteOddMomentsVanishAndWeightsSumToOne()
    {
        var rule = GaussRule.ProbabilistsHermite(200);
        Assert.Equal(1.0, rule.Integrate(_ => 1.0), 1e-14);
        Assert.Equal(0.0, rule.Integrate(x => x * x * x), 1e-12);
        for (var i = 0; i < rule.Count; i++) Assert.Equal(-rule.Nodes[i], rule.Nodes[rule.Count - 1 - i], 1e-12);
    }

    [Fact]
    public void HermiteMatchesIndependentlyKnownSmoothExpectations()
    {
        var rule = GaussRule.ProbabilistsHermite(200);
        // E cos z = e^(−1/2), E e^z = e^(1/2): characteristic and moment-generating functions at 1.
        Assert.Equal(Math.Exp(-0.5), rule.Integrate(Math.Cos), 1e-14);
        Assert.Equal(Math.Exp(0.5), rule.Integrate(Math.Exp), 1e-13);
        // E tanh(z)² against adaptive Simpson quadrature (no shared code).
        static double TanhSquared(double x) => Math.Tanh(x) * Math.Tanh(x);
        Assert.Equal(ReferenceQuadrature.Expect(TanhSquared, 1.0), rule.Integrate(TanhSquared), 1e-14);
    }

    [Fact]
    public void LaguerreIntegratesFactorials()
    {
        var rule = GaussRule.Laguerre(24);
        var factorial = 1.0;
        for (var k = 0; k <= 30; k++)
        {
            if (k > 0) factorial *= k;
            var value = rule.Integrate(t => Math.Pow(t, k));
            Assert.True(Math.Abs(value - factorial) <= 1e-12 * factorial, $"∫t^{k}e^-t: {value:R} vs {factorial:R}");
        }
    }

    [Fact]
    public void LegendreIntegratesPolynomialsOnTheInterval()
    {
        var rule = GaussRule.Legendre(24);
        for (var k = 0; k <= 47; k++)
        {
            var exact = k % 2 == 1 ? 0.0 : 2.0 / (k + 1);
            Assert.Equal(exact, rule.Integrate(x => Math.Pow(x, k)), 1e-14);
        }
    }
}
