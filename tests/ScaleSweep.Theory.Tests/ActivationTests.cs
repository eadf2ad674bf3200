using ScaleSweep.Theory.Activations;

namespace ScaleSweep.Theory.Tests;

public class ActivationTests
{
    public static TheoryData<string> Smooth => new() { "tanh", "erf", "gelu", "linear" };

    [Theory]
    [MemberData(nameof(Smooth))]
    public void DerivativesMatchCentralDifferences(string name)
    {
        Assert.True(Activation.TryParse(name, out var a));
        const double h = 1e-5;
        foreach (var x in new[] { -2.3, -0.7, 0.0, 0.4, 1.9 })
        {
            Assert.Equal((a.Value(x + h) - a.Value(x - h)) / (2 * h), a.FirstDerivative(x), 1e-8);
            Assert.Equal((a.FirstDerivative(x + h) - a.FirstDerivative(x - h)) / (2 * h), a.SecondDerivative(x), 1e-8);
        }
    }

    [Fact]
    public void KinkedActivationsHaveOneSidedSlopes()
    {
        Assert.Equal(0.0, Activation.Relu.Value(-3));
        Assert.Equal(1.0, Activation.Relu.FirstDerivative(2));
        Assert.Equal(0.0, Activation.Relu.FirstDerivative(-2));
        Assert.Equal(-1.0, Activation.Abs.FirstDerivative(-2));
        Assert.False(Activation.Relu.IsSmooth);
        Assert.False(Activation.Abs.IsSmooth);
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("TANH")]
    [InlineData(" relu ")]
    [InlineData("gelu")]
    public void ParsesKnownNamesCaseInsensitively(string name) => Assert.True(Activation.TryParse(name, out _));

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsUnknownNames(string? name) => Assert.False(Activation.TryParse(name, out _));

    [Fact]
    public void GeluIsTheExactGaussianVersion() =>
        Assert.Equal(1.0 * 0.8413447460685429, Activation.Gelu.Value(1.0), 1e-15);
}
