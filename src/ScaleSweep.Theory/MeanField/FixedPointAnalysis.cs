using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.MeanField;

/// <summary>Fixed points, χ₁ and depth scales of a <see cref="RandomNetwork"/> (Schoenholz et al., Deep Information Propagation).</summary>
public static class FixedPointAnalysis
{
    /// <summary>q used for limits as q → ∞ (χ₁ of homogeneous activations does not depend on q there).</summary>
    private const double LargeVariance = 1e30;

    public static SignalPropagationPoint Analyze(RandomNetwork network)
    {
        var qStar = LengthMap.FixedPoint(network);
        var chi1 = Chi1(network, qStar);
        if (double.IsPositiveInfinity(qStar))
            return new(network.SigmaW2, qStar, double.NaN, chi1, double.PositiveInfinity, double.PositiveInfinity);

        // ξ_q⁻¹ = −log(dq^l/dq^(l−1) at q*) = −log(χ₁ + σ_w² ∫φ″φ) without dropout.
        var xiQ = DepthScale(LengthMap.Slope(network, qStar));
        var gap = CorrelationMap.FixedPointGap(network, qStar);
        // ξ_c⁻¹ = −log(σ_w² ∫φ′(u₁*)φ′(u₂*)), which is −log χ₁ when c* = 1.
        var xiC = DepthScale(CorrelationMap.Slope(network, qStar, gap));
        return new(network.SigmaW2, qStar, 1.0 - gap, chi1, xiQ, xiC);
    }

    /// <summary>χ₁ = σ_w² ∫Dz φ′(√q* z)² (σ_w², not σ_w²/ρ: dropout enters through q* only).</summary>
    public static double Chi1(RandomNetwork network, double qStar)
    {
        var q = double.IsPositiveInfinity(qStar) ? LargeVariance : Math.Max(qStar, LengthMap.VanishingVariance);
        var d = network.Activation.FirstDerivative;
        return network.SigmaW2 * GaussianExpectation.Single(x => { var v = d(x); return v * v; }, q, network.Activation.IsSmooth);
    }

    /// <summary>
    /// Per-layer growth of the mean squared gradient in backpropagation at the fixed point: χ₁/ρ.
    /// Gradients scale like (χ₁/ρ)^depth: exploding above 1, vanishing below. The 1/ρ is E[(m/ρ)²] of the
    /// dropout mask m that the gradient passes through (a documented choice; it is χ₁ without dropout).
    /// </summary>
    public static double GradientGrowthPerLayer(RandomNetwork network) =>
        Chi1(network, LengthMap.FixedPoint(network)) / network.DropoutKeep;

    /// <summary>
    /// Rates closer to 1 than this count as 1: the integrals behind them are accurate to about 1e-14, so a depth
    /// scale beyond 1e12 layers cannot be told from a divergent one.
    /// </summary>
    public const double UnresolvableRateGap = 1e-12;

    /// <summary>ξ = −1/log(rate) for a per-layer contraction rate; +∞ when the rate is ≥ 1 (no contraction).</summary>
    public static double DepthScale(double rate) =>
        double.IsNaN(rate) ? double.NaN
        : rate >= 1.0 - UnresolvableRateGap ? double.PositiveInfinity
        : rate <= 0.0 ? 0.0
        : -1.0 / Math.Log(rate);
}
