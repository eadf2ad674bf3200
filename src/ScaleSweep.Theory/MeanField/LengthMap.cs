using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.MeanField;

/// <summary>
/// The length map q^l = (σ_w²/ρ) ∫Dz φ(√q^(l−1) z)² + σ_b²: how the mean squared preactivation of one
/// input evolves with depth, and its fixed point q*.
/// </summary>
public static class LengthMap
{
    /// <summary>Below this variance the maps are evaluated in the limit q → 0⁺ (q* = 0 happens when σ_b² = 0).</summary>
    public const double VanishingVariance = 1e-200;

    /// <summary>Beyond this the length map is taken to have no finite fixed point (q grows geometrically).</summary>
    public const double DivergentVariance = 1e12;

    /// <summary>Where the map is probed for growth away from q = 0 when the origin is a fixed point.</summary>
    private const double OriginProbe = 1e-14;

    /// <summary>∫Dz φ(√q z)².</summary>
    public static double SecondMoment(RandomNetwork network, double q)
    {
        var phi = network.Activation.Value;
        return GaussianExpectation.Single(x => { var y = phi(x); return y * y; }, q, network.Activation.IsSmooth);
    }

    public static double Next(RandomNetwork network, double q) =>
        network.LengthMapWeightVariance * SecondMoment(network, q) + network.SigmaB2;

    /// <summary>
    /// dq^l/dq^(l−1) = (σ_w²/ρ) ∫Dz [φ′(√q z)² + φ(√q z) φ″(√q z)] (Gaussian integration by parts);
    /// at q* without dropout this is the χ₁ + σ_w² ∫φ″φ of ξ_q.
    /// </summary>
    public static double Slope(RandomNetwork network, double q)
    {
        var a = network.Activation;
        var expectation = GaussianExpectation.Single(
            x => { var d = a.FirstDerivative(x); return d * d + a.Value(x) * a.SecondDerivative(x); },
            Math.Max(q, VanishingVariance),
            a.IsSmooth);
        return network.LengthMapWeightVariance * expectation;
    }

    /// <summary>
    /// q*: the smallest stable fixed point, i.e. where iterating the map from small q settles.
    /// 0 when σ_b² = 0 and the origin is stable; +∞ when no finite fixed point exists below
    /// <see cref="DivergentVariance"/> (unbounded activations with σ_w² beyond their critical value).
    /// </summary>
    public static double FixedPoint(RandomNetwork network)
    {
        double Excess(double q) => Next(network, q) - q;

        // Where L is increasing every fixed point lies at or above L(0), so the scan starts just below it.
        var atOrigin = Next(network, 0.0);
        var lower = atOrigin > 0 ? 0.5 * atOrigin : OriginProbe;
        if (Excess(lower) < 0)
        {
            // σ_b² = 0 and φ(0) = 0 make q = 0 a fixed point; the map contracts just above it, so q* = 0.
            // Otherwise L(0) > 0 is the excess at 0 and the root lies in (0, lower).
            return atOrigin == 0 ? 0.0 : RootFinding.Brent(Excess, 0.0, lower);
        }

        for (var upper = 2.0 * lower; upper <= DivergentVariance; upper *= 2.0)
        {
            var excessUpper = Excess(upper);
            if (excessUpper < 0) return RootFinding.Brent(Excess, lower, upper);
            lower = upper;
        }
        return double.PositiveInfinity;
    }
}
