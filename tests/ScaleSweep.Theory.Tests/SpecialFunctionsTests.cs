using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.Tests;

public class SpecialFunctionsTests
{
    // Tabulated values (Abramowitz & Stegun, to 16+ digits via arbitrary-precision evaluation).
    [Theory]
    [InlineData(0.1, 0.1124629160182848922)]
    [InlineData(0.5, 0.5204998778130465377)]
    [InlineData(1.0, 0.8427007929497148693)]
    [InlineData(2.0, 0.9953222650189527342)]
    [InlineData(2.5, 0.9995930479825550411)]
    [InlineData(3.5, 0.9999992569016276586)]
    public void ErfMatchesTabulatedValues(double x, double expected)
    {
        Assert.True(Math.Abs(SpecialFunctions.Erf(x) - expected) <= 1e-15 * expected, $"erf({x}) = {SpecialFunctions.Erf(x):R}");
        Assert.Equal(-SpecialFunctions.Erf(x), SpecialFunctions.Erf(-x));
    }

    [Theory]
    [InlineData(3.0, 2.209049699858544137e-05)]
    [InlineData(4.0, 1.541725790028001885e-08)]
    [InlineData(6.0, 2.151973671249891311e-17)]
    [InlineData(10.0, 2.088487583762544757e-45)]
    public void ErfcKeepsRelativeAccuracyInTheTail(double x, double expected)
    {
        var value = SpecialFunctions.Erfc(x);
        Assert.True(Math.Abs(value - expected) <= 1e-14 * expected, $"erfc({x}) = {value:R}");
    }

    [Fact]
    public void NormalCdfIsSymmetricAndCentred()
    {
        Assert.Equal(0.5, SpecialFunctions.NormalCdf(0), 1e-15);
        Assert.Equal(1.0, SpecialFunctions.NormalCdf(1.3) + SpecialFunctions.NormalCdf(-1.3), 1e-15);
        Assert.Equal(0.8413447460685429486, SpecialFunctions.NormalCdf(1.0), 1e-15);
    }
}
