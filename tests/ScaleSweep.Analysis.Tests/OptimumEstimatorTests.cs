using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

public class OptimumEstimatorTests
{
    private static LossCell[] Quadratic(double[] xs, double c, double curvature = 1, double floor = 2) =>
        [.. xs.Select(x => new LossCell(x, curvature * (x - c) * (x - c) + floor, 1, 0))];

    [Theory]
    [InlineData(-9.3)]
    [InlineData(-9.0)]
    [InlineData(-5.51)]
    [InlineData(-12.75)]
    public void Parabola_vertex_recovers_a_quadratic_optimum_exactly(double truth)
    {
        var optimum = OptimumEstimator.Estimate(Quadratic(Trials.Range(-14, -4, 1), truth))!;
        Assert.Equal(truth, optimum.Log2LrOpt, 10);
        Assert.Equal(Math.Round(truth), optimum.Log2LrGridMin);
        Assert.False(optimum.AtGridEdge);
    }

    [Fact]
    public void Parabola_vertex_is_exact_on_an_uneven_grid()
    {
        double[] xs = [-14, -11, -10.5, -9, -8.25, -6, -4];
        var optimum = OptimumEstimator.Estimate(Quadratic(xs, -9.4, curvature: 0.7))!;
        Assert.Equal(-9.0, optimum.Log2LrGridMin);
        Assert.Equal(-9.4, optimum.Log2LrOpt, 10);
    }

    [Theory]
    [InlineData(-15.5, -14)]
    [InlineData(-2.2, -4)]
    public void Minimum_on_the_grid_edge_is_flagged_and_not_extrapolated(double truth, double edge)
    {
        var optimum = OptimumEstimator.Estimate(Quadratic(Trials.Range(-14, -4, 1), truth))!;
        Assert.True(optimum.AtGridEdge);
        Assert.Equal(edge, optimum.Log2LrGridMin);
        Assert.Equal(edge, optimum.Log2LrOpt);
    }

    [Fact]
    public void Flat_neighbourhood_keeps_the_grid_minimum()
    {
        LossCell[] cells = [new(-3, 1, 1, 0), new(-2, 1, 1, 0), new(-1, 1, 1, 0)];
        var optimum = OptimumEstimator.Estimate(cells)!;
        Assert.Equal(-3, optimum.Log2LrGridMin);
        Assert.True(optimum.AtGridEdge);
    }

    [Fact]
    public void Vertex_is_clamped_to_the_neighbours()
    {
        // Asymmetric V: a parabola through these points has its vertex inside [left, right] anyway; check the clamp bound holds.
        var vertex = OptimumEstimator.ParabolaVertex(new(-10, 5, 1, 0), new(-9, 1, 1, 0), new(-8, 1.0000001, 1, 0));
        Assert.InRange(vertex, -10, -8);
    }

    [Fact]
    public void Ties_go_to_the_cell_with_fewer_penalized_seeds()
    {
        LossCell[] cells = [new(-3, 4, 2, 0), new(-2, 1, 2, 2), new(-1, 1, 2, 0), new(0, 3, 2, 0)];
        Assert.Equal(-1, OptimumEstimator.Estimate(cells)!.Log2LrGridMin);
    }

    [Fact]
    public void Wholly_penalized_curve_has_no_optimum()
    {
        LossCell[] cells = [new(-3, 9, 2, 2), new(-2, 9, 2, 2)];
        Assert.Null(OptimumEstimator.Estimate(cells));
    }
}
