using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.MeanField;

/// <summary>The order-to-chaos transition: the σ_w² where χ₁ = 1 for a given σ_b².</summary>
public static class EdgeOfChaos
{
    private const double SearchStart = 1e-2;
    private const double SearchFactor = 1.1;
    private const double ContinuityTolerance = 1e-6;

    /// <summary>
    /// The smallest σ_w² in (0, <paramref name="maxSigmaW2"/>] with χ₁(σ_w², σ_b²) = 1 for the network without
    /// dropout (dropout has no edge of chaos: c* &lt; 1 everywhere), or null if χ₁ never crosses 1 continuously
    /// (it can jump across 1 where the smallest fixed point q* disappears, e.g. gelu; such jumps are skipped).
    /// Found by a geometric scan for a sign change of χ₁ − 1, then Brent's method to full double precision
    /// (each χ₁ evaluation solves for q* afresh).
    /// </summary>
    public static double? CriticalSigmaW2(Activation activation, double sigmaB2, double maxSigmaW2 = 100.0)
    {
        double ChiMinusOne(double sigmaW2)
        {
            var network = new RandomNetwork(activation, sigmaW2, sigmaB2);
            return FixedPointAnalysis.Chi1(network, LengthMap.FixedPoint(network)) - 1.0;
        }

        var lower = SearchStart;
        var below = ChiMinusOne(lower);
        if (below == 0) return lower;
        while (lower < maxSigmaW2)
        {
            var upper = Math.Min(lower * SearchFactor, maxSigmaW2);
            var above = ChiMinusOne(upper);
            if (above == 0) return upper;
            if ((below < 0) != (above < 0))
            {
                var root = RootFinding.Brent(ChiMinusOne, lower, upper);
                // A jump of χ₁ across 1 (q* losing its fixed point in a saddle-node, as for gelu) is not an edge of chaos.
                if (Math.Abs(ChiMinusOne(root)) <= ContinuityTolerance) return root;
            }
            lower = upper;
            below = above;
        }
        return null;
    }
}
