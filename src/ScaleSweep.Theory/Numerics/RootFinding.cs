namespace ScaleSweep.Theory.Numerics;

/// <summary>Root of a continuous function on a bracket where it changes sign.</summary>
public static class RootFinding
{
    /// <summary>
    /// Brent's method (inverse quadratic interpolation and secant steps, falling back to bisection whenever
    /// they would not shrink the bracket fast enough): bisection's guarantee with superlinear convergence on
    /// smooth functions. Converges to the width of a few ulps of the root, or <paramref name="tolerance"/>.
    /// </summary>
    public static double Brent(Func<double, double> f, double a, double b, double tolerance = 0.0, int maxIterations = 200)
    {
        var fa = f(a);
        var fb = f(b);
        if (fa == 0) return a;
        if (fb == 0) return b;
        if (SameSign(fa, fb))
            throw new ArgumentException($"f does not change sign on [{a}, {b}] (f(a) = {fa}, f(b) = {fb}).");

        // Invariant: the root lies between b (best estimate) and c; a is the previous b.
        var c = a;
        var fc = fa;
        var d = b - a;
        var e = d;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            if (SameSign(fb, fc))
            {
                c = a; fc = fa;
                d = b - a; e = d;
            }
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b; fa = fb;
                b = c; fb = fc;
                c = a; fc = fa;
            }
            var tol = 2.0 * double.Epsilon + 2.0 * 2.220446049250313e-16 * Math.Abs(b) + 0.5 * tolerance;
            var half = 0.5 * (c - b);
            if (Math.Abs(half) <= tol || fb == 0) return b;

            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q;
                var s = fb / fa;
                if (a == c)
                {
                    p = 2.0 * half * s; // secant
                    q = 1.0 - s;
                }
                else
                {
                    var qa = fa / fc; // inverse quadratic interpolation
                    var r = fb / fc;
                    p = s * (2.0 * half * qa * (qa - r) - (b - a) * (r - 1.0));
                    q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
                }
                if (p > 0) q = -q; else p = -p;
                if (2.0 * p < Math.Min(3.0 * half * q - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = half; e = d;
                }
            }
            else
            {
                d = half; e = d;
            }
            a = b; fa = fb;
            b += Math.Abs(d) > tol ? d : (half > 0 ? tol : -tol);
            fb = f(b);
        }
        return b;
    }

    private static bool SameSign(double x, double y) => (x > 0) == (y > 0);
}
