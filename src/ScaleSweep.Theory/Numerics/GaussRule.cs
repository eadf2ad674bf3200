namespace ScaleSweep.Theory.Numerics;

/// <summary>
/// An n-point Gauss quadrature rule: Σ wᵢ f(xᵢ) ≈ ∫ f dμ, exact for polynomials of degree ≤ 2n − 1.
/// Built from the three-term recurrence of the measure's orthogonal polynomials (see
/// <see cref="GaussRuleConstruction"/>); immutable and safe to share between threads.
/// </summary>
public sealed class GaussRule
{
    private readonly double[] _nodes;
    private readonly double[] _weights;

    internal GaussRule(double[] nodes, double[] weights)
    {
        _nodes = nodes;
        _weights = weights;
    }

    public int Count => _nodes.Length;
    public ReadOnlySpan<double> Nodes => _nodes;
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Standard normal measure N(0, 1) (probabilists' Hermite): Σ wᵢ f(xᵢ) ≈ E f(z).</summary>
    public static GaussRule ProbabilistsHermite(int points) =>
        GaussRuleConstruction.FromRecurrence(points, _ => 0.0, k => k, totalMass: 1.0);

    /// <summary>Measure e^(−t) dt on [0, ∞) (Laguerre).</summary>
    public static GaussRule Laguerre(int points) =>
        GaussRuleConstruction.FromRecurrence(points, k => 2.0 * k + 1.0, k => (double)k * k, totalMass: 1.0);

    /// <summary>Lebesgue measure on [−1, 1] (Legendre).</summary>
    public static GaussRule Legendre(int points) =>
        GaussRuleConstruction.FromRecurrence(points, _ => 0.0, k => k * (double)k / (4.0 * k * k - 1.0), totalMass: 2.0);

    public double Integrate(Func<double, double> f)
    {
        var sum = 0.0;
        for (var i = 0; i < _nodes.Length; i++) sum += _weights[i] * f(_nodes[i]);
        return sum;
    }
}
