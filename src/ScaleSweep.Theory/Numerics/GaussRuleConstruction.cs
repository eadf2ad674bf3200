namespace ScaleSweep.Theory.Numerics;

/// <summary>
/// Gauss rules from the monic recurrence p₍ₖ₊₁₎ = (x − aₖ) pₖ − bₖ p₍ₖ₋₁₎ (the Golub–Welsch setting).
/// Nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix, found one by one by Sturm-sequence
/// bisection (robust, no eigenvector needed) and then polished by Newton on the orthonormal polynomial.
/// Weights come from the Christoffel function wᵢ = μ₀ / Σₖ p̂ₖ(xᵢ)², which keeps the tiny tail weights
/// accurate to relative precision (an eigenvector-based weight would only be accurate in absolute terms).
/// </summary>
internal static class GaussRuleConstruction
{
    public static GaussRule FromRecurrence(int points, Func<int, double> a, Func<int, double> b, double totalMass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        var diag = new double[points];
        var offSquared = new double[points]; // offSquared[k] = b(k) for k ≥ 1; index 0 unused
        for (var k = 0; k < points; k++) diag[k] = a(k);
        for (var k = 1; k < points; k++) offSquared[k] = b(k);

        var (lower, upper) = GershgorinBounds(diag, offSquared);
        var nodes = new double[points];
        var weights = new double[points];
        var previous = lower;
        for (var i = 0; i < points; i++)
        {
            var x = BisectEigenvalue(diag, offSquared, i, previous, upper);
            x = NewtonPolish(diag, offSquared, x);
            nodes[i] = x;
            weights[i] = totalMass / ChristoffelSum(diag, offSquared, x);
            previous = x;
        }
        return new GaussRule(nodes, weights);
    }

    private static (double Lower, double Upper) GershgorinBounds(double[] diag, double[] offSquared)
    {
        var lower = double.PositiveInfinity;
        var upper = double.NegativeInfinity;
        var n = diag.Length;
        for (var k = 0; k < n; k++)
        {
            var radius = (k > 0 ? Math.Sqrt(offSquared[k]) : 0) + (k + 1 < n ? Math.Sqrt(offSquared[k + 1]) : 0);
            lower = Math.Min(lower, diag[k] - radius);
            upper = Math.Max(upper, diag[k] + radius);
        }
        return (lower, upper);
    }

    // Number of eigenvalues strictly below x (Sturm count from the LDLᵀ pivots of T − xI).
    private static int CountBelow(double[] diag, double[] offSquared, double x)
    {
        var count = 0;
        var pivot = 1.0;
        for (var k = 0; k < diag.Length; k++)
        {
            pivot = diag[k] - x - (k > 0 ? offSquared[k] / pivot : 0.0);
            if (pivot == 0) pivot = -1e-300;
            if (pivot < 0) count++;
        }
        return count;
    }

    private static double BisectEigenvalue(double[] diag, double[] offSquared, int index, double lower, double upper)
    {
        var lo = lower;
        var hi = upper;
        // Absolute floor keeps a node at exactly 0 from bisecting down through the subnormals; Newton finishes it.
        var floor = 1e-18 * (upper - lower);
        for (var iteration = 0; iteration < 2000 && hi - lo > floor; iteration++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break; // interval is down to adjacent doubles
            if (CountBelow(diag, offSquared, mid) > index) hi = mid; else lo = mid;
        }
        return 0.5 * (lo + hi);
    }

    // Orthonormal recurrence √b₍ₖ₊₁₎ p̂₍ₖ₊₁₎ = (x − aₖ) p̂ₖ − √bₖ p̂₍ₖ₋₁₎, p̂₀ = 1; returns p̂ₙ and p̂ₙ′.
    private static (double Value, double Derivative) Orthonormal(double[] diag, double[] offSquared, double x)
    {
        var n = diag.Length;
        double pPrev = 0, p = 1, dPrev = 0, d = 0;
        for (var k = 0; k < n; k++)
        {
            var sqrtBk = k > 0 ? Math.Sqrt(offSquared[k]) : 0.0;
            var sqrtBNext = k + 1 < n ? Math.Sqrt(offSquared[k + 1]) : 1.0; // p̂ₙ scale is irrelevant to the root
            var pNext = ((x - diag[k]) * p - sqrtBk * pPrev) / sqrtBNext;
            var dNext = (p + (x - diag[k]) * d - sqrtBk * dPrev) / sqrtBNext;
            pPrev = p; p = pNext;
            dPrev = d; d = dNext;
        }
        return (p, d);
    }

    private static double NewtonPolish(double[] diag, double[] offSquared, double x)
    {
        for (var step = 0; step < 3; step++)
        {
            var (value, derivative) = Orthonormal(diag, offSquared, x);
            if (derivative == 0 || !double.IsFinite(value / derivative)) break;
            var correction = value / derivative;
            // Bisection already put x within a few ulps; a large correction means a bad derivative, not a better root.
            if (Math.Abs(correction) > 1e-8 * Math.Max(1.0, Math.Abs(x))) break;
            x -= correction;
        }
        return x;
    }

    private static double ChristoffelSum(double[] diag, double[] offSquared, double x)
    {
        var n = diag.Length;
        double pPrev = 0, p = 1, sum = 1;
        for (var k = 0; k + 1 < n; k++)
        {
            var sqrtBk = k > 0 ? Math.Sqrt(offSquared[k]) : 0.0;
            var pNext = ((x - diag[k]) * p - sqrtBk * pPrev) / Math.Sqrt(offSquared[k + 1]);
            pPrev = p; p = pNext;
            sum += p * p;
        }
        return sum;
    }
}
