using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Theory.Tests;

/// <summary>Linear and relu networks have closed-form fixed points: the analysis must reproduce them.</summary>
public class ClosedFormTests
{
    [Theory]
    [InlineData(0.3, 0.05)]
    [InlineData(0.8, 0.2)]
    [InlineData(0.99, 1.0)]
    public void LinearNetworkFixedPointAndChi1(double sigmaW2, double sigmaB2)
    {
        var point = FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Linear, sigmaW2, sigmaB2));
        var xi = -1 / Math.Log(sigmaW2);
        AssertRelative(sigmaB2 / (1 - sigmaW2), point.QStar, 1e-12);
        AssertRelative(sigmaW2, point.Chi1, 1e-13);
        Assert.Equal(1.0, point.CStar);
        AssertRelative(xi, point.XiQ, 1e-11);
        AssertRelative(xi, point.XiC, 1e-11);
    }

    [Theory]
    [InlineData(0.5, 0.05)]
    [InlineData(1.5, 0.3)]
    [InlineData(1.98, 0.01)]
    public void ReluNetworkFixedPointAndChi1(double sigmaW2, double sigmaB2)
    {
        var point = FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Relu, sigmaW2, sigmaB2));
        var xi = -1 / Math.Log(sigmaW2 / 2);
        AssertRelative(sigmaB2 / (1 - sigmaW2 / 2), point.QStar, 1e-12);
        AssertRelative(sigmaW2 / 2, point.Chi1, 1e-13);
        Assert.Equal(1.0, point.CStar);
        AssertRelative(xi, point.XiQ, 1e-11);
        AssertRelative(xi, point.XiC, 1e-11);
    }

    [Fact]
    public void UnboundedActivationsPastCriticalityHaveNoFiniteLengthFixedPoint()
    {
        var relu = FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Relu, 2.5, 0.05));
        Assert.Equal(double.PositiveInfinity, relu.QStar);
        AssertRelative(1.25, relu.Chi1, 1e-13);
        Assert.True(double.IsNaN(relu.CStar));
        Assert.Equal(double.PositiveInfinity, relu.XiC);
        Assert.Equal(double.PositiveInfinity, FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Linear, 1.2, 0.05)).QStar);
    }

    [Theory]
    [InlineData(1.0, 0.05)]
    [InlineData(1.3, 0.1)]
    [InlineData(2.0, 0.05)]
    [InlineData(3.5, 0.2)]
    public void ErfNetworkMatchesTheArcsineKernelFixedPoints(double sigmaW2, double sigmaB2)
    {
        // Closed forms for φ = erf solved by bisection, independent of the library's quadrature and root finder.
        double Length(double q) => sigmaW2 * 2 / Math.PI * Math.Asin(2 * q / (1 + 2 * q)) + sigmaB2;
        var qStar = ReferenceQuadrature.Bisect(q => Length(q) - q, sigmaB2, sigmaW2 + sigmaB2, 1e-15);
        var chi1 = sigmaW2 * 4 / Math.PI / Math.Sqrt(1 + 4 * qStar);
        double Correlation(double c) => (sigmaW2 * 2 / Math.PI * Math.Asin(2 * qStar * c / (1 + 2 * qStar)) + sigmaB2) / qStar;
        var cStar = chi1 <= 1 ? 1.0 : ReferenceQuadrature.Bisect(c => Correlation(c) - c, 0.0, 1 - 1e-9, 1e-15);
        var chiC = sigmaW2 * 4 / Math.PI / Math.Sqrt((1 + 2 * qStar) * (1 + 2 * qStar) - 4 * qStar * qStar * cStar * cStar);

        var point = FixedPointAnalysis.Analyze(new RandomNetwork(Activation.Erf, sigmaW2, sigmaB2));
        AssertRelative(qStar, point.QStar, 1e-12);
        AssertRelative(chi1, point.Chi1, 1e-12);
        Assert.Equal(cStar, point.CStar, 1e-10);
        AssertRelative(-1 / Math.Log(chiC), point.XiC, 1e-8);
    }

    [Fact]
    public void ErfEdgeOfChaosMatchesClosedForm()
    {
        const double sigmaB2 = 0.05;
        double Chi1MinusOne(double sigmaW2)
        {
            var q = ReferenceQuadrature.Bisect(q => sigmaW2 * 2 / Math.PI * Math.Asin(2 * q / (1 + 2 * q)) + sigmaB2 - q, sigmaB2, sigmaW2 + sigmaB2, 1e-16);
            return sigmaW2 * 4 / Math.PI / Math.Sqrt(1 + 4 * q) - 1;
        }
        var expected = ReferenceQuadrature.Bisect(Chi1MinusOne, 0.5, 3.0, 1e-14);
        var critical = EdgeOfChaos.CriticalSigmaW2(Activation.Erf, sigmaB2);
        Assert.NotNull(critical);
        Assert.Equal(expected, critical.Value, 1e-11);
    }

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
