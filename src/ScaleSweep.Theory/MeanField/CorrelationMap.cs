using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.MeanField;

/// <summary>
/// The correlation map: two inputs with the same length q^(l−1) and correlation c^(l−1) have
/// q_ab^l = σ_w² ∫Dz₁Dz₂ φ(u₁) φ(u₂) + σ_b² and c^l = q_ab^l / q^l (q^l from the length map, with σ_w²/ρ).
/// <para>
/// Everything is computed on the gap 1 − c, using
/// q^l − q_ab^l = σ_w² [(1/ρ − 1) ∫φ(u)² + ½ ∫(φ(u₁) − φ(u₂))²],
/// so no two nearly equal numbers are subtracted when c is close to 1 (the edge of chaos).
/// </para>
/// </summary>
public static class CorrelationMap
{
    /// <summary>Gap below which c* counts as 1 (the correlation fixed point cannot be told from c = 1).</summary>
    public const double ResolvableGap = 1e-12;

    /// <summary>1 − c^l from the previous layer's length q and gap 1 − c^(l−1).</summary>
    public static double NextGap(RandomNetwork network, double q, double gap)
    {
        q = Math.Max(q, LengthMap.VanishingVariance);
        var phi = new RepeatedArgument(network.Activation.Value);
        var second = LengthMap.SecondMoment(network, q);
        var halfSquaredDifference = 0.5 * GaussianExpectation.Pair(
            (u1, u2) => { var d = phi.At(u1) - network.Activation.Value(u2); return d * d; }, q, gap, network.Activation.IsSmooth);
        var length = network.LengthMapWeightVariance * second + network.SigmaB2;
        var lengthMinusCovariance = network.SigmaW2 * ((1.0 / network.DropoutKeep - 1.0) * second + halfSquaredDifference);
        return Math.Clamp(lengthMinusCovariance / length, 0.0, 2.0);
    }

    /// <summary>c^l from the previous layer's length q and correlation c.</summary>
    public static double Next(RandomNetwork network, double q, double c) => 1.0 - NextGap(network, q, 1.0 - c);

    /// <summary>
    /// dc^l/dc^(l−1) = σ_w² q ∫φ′(u₁) φ′(u₂) / q^l (Price's theorem). At the length fixed point q^l = q*, so this
    /// is χ_c = σ_w² ∫φ′(u₁*) φ′(u₂*), and at c = 1 it is χ₁.
    /// </summary>
    public static double Slope(RandomNetwork network, double q, double gap)
    {
        q = Math.Max(q, LengthMap.VanishingVariance);
        var d = network.Activation.FirstDerivative;
        var d1 = new RepeatedArgument(d);
        var expectation = gap == 0
            ? GaussianExpectation.Single(x => { var v = d(x); return v * v; }, q, network.Activation.IsSmooth)
            : GaussianExpectation.Pair((u1, u2) => d1.At(u1) * d(u2), q, gap, network.Activation.IsSmooth);
        return network.SigmaW2 * q * expectation / LengthMap.Next(network, q);
    }

    /// <summary>
    /// 1 − c* at the length fixed point q*: the correlation that iterating from c⁰ just below 1 settles to.
    /// Without dropout c* = 1 (gap 0) in the ordered phase (χ₁ ≤ 1); otherwise c = 1 is unstable (chaos) or not
    /// a fixed point at all (dropout) and c* is the root of c^l = c below 1.
    /// <para>
    /// The root is unique in [0, 1): E φ(u₁)φ(u₂) = Σₙ aₙ² cⁿ (Mehler's Hermite expansion), so the map is convex on
    /// [0, 1] and c^l − c, which is ≥ 0 at c = 0 and negative just below 1, crosses zero once. It is found by
    /// Brent's method on log(1 − c), which resolves gaps from 1e-12 to 1 alike.
    /// </para>
    /// </summary>
    public static double FixedPointGap(RandomNetwork network, double qStar)
    {
        var q = Math.Max(qStar, LengthMap.VanishingVariance);
        if (!network.HasDropout && Slope(network, q, 0.0) <= 1.0) return 0.0;

        double Excess(double gap) => gap - NextGap(network, q, gap); // h(gap) = gap − gap^l
        // c = 0 is the fixed point (odd φ without bias: by convexity the map then stays below the diagonal on (0, 1));
        // the tolerance absorbs rounding in h(1) = c^l(0), which is exactly 0 there.
        if (Excess(1.0) <= 1e-14) return 1.0;
        if (Excess(ResolvableGap) >= 0.0)
        {
            // Without dropout h(0) = 0 exactly, so a root this close to c = 1 cannot be resolved: report c* = 1.
            return network.HasDropout ? RootFinding.Brent(Excess, 0.0, ResolvableGap) : 0.0;
        }
        return Math.Exp(RootFinding.Brent(x => Excess(Math.Exp(x)), Math.Log(ResolvableGap), 0.0));
    }

    // The inner quadrature loop calls g(u₁, ·) many times with the same u₁: evaluate φ(u₁) once. Not thread-safe;
    // one instance per integral.
    private sealed class RepeatedArgument(Func<double, double> function)
    {
        private double _argument = double.NaN;
        private double _value;

        public double At(double x)
        {
            if (x != _argument)
            {
                _argument = x;
                _value = function(x);
            }
            return _value;
        }
    }
}
