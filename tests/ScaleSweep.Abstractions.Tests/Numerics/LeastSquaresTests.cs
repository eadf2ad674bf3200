using ScaleSweep.Abstractions.Numerics;

namespace ScaleSweep.Abstractions.Tests.Numerics;

public sealed class LeastSquaresTests
{
    [Fact]
    public void Slope_recovers_a_power_law_on_log_axes()
    {
        double[] widths = [64, 128, 256, 512];
        var slope = LeastSquares.Slope([.. widths.Select(Math.Log2)], [.. widths.Select(w => Math.Log2(3 * Math.Pow(w, 0.5)))]);
        Assert.Equal(0.5, slope!.Value, 12);
    }

    [Fact]
    public void Slope_of_noisy_points_is_the_least_squares_one()
    {
        // x̄ = 1, ȳ = 8/3; Σ(x − x̄)(y − ȳ) = 3, Σ(x − x̄)² = 2.
        Assert.Equal(1.5, LeastSquares.Slope([0, 1, 2], [1, 3, 4])!.Value, 12);
    }

    [Fact]
    public void Slope_needs_two_distinct_x()
    {
        Assert.Null(LeastSquares.Slope([], []));
        Assert.Null(LeastSquares.Slope([1.0], [2.0]));
        Assert.Null(LeastSquares.Slope([3.0, 3.0, 3.0], [1.0, 2.0, 4.0]));
    }

    [Fact]
    public void Slope_rejects_lists_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => LeastSquares.Slope([1.0, 2.0], [1.0]));

    [Fact]
    public void Weighted_fit_follows_the_heavy_points()
    {
        // Two points on y = 1 + 2x with weight 1 and an outlier with weight 0: the line ignores the outlier.
        Assert.Equal(new Line(1, 2), LeastSquares.Fit([0, 1, 2], [1, 3, 40], [1, 1, 0]));
        // Weights 1, 1, 2 on (0, 0), (1, 0), (2, 4): x̄w = 5/4, ȳw = 2; Σw(x − x̄)(y − ȳ) = 6, Σw(x − x̄)² = 11/4:
        // slope 24/11, intercept 2 − (24/11)(5/4) = −8/11 (unweighted it would be 2 and −2/3).
        var line = LeastSquares.Fit([0, 1, 2], [0, 0, 4], [1, 1, 2])!.Value;
        Assert.Equal(24.0 / 11, line.Slope, 12);
        Assert.Equal(-8.0 / 11, line.Intercept, 12);
        Assert.Equal(88.0 / 11, line.At(4), 12);
    }
}
