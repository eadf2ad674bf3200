namespace ScaleSweep.Theory.Tests;

/// <summary>
/// An independent check on the library's Gauss rules: adaptive Simpson quadrature (with Richardson
/// correction) of the Gaussian density over [−12, 12] (the tail beyond carries &lt; 1e-32 of the mass), and
/// plain bisection for roots. Slow but shares no code or method with ScaleSweep.Theory.
/// </summary>
internal static class ReferenceQuadrature
{
    private const double Cutoff = 12.0;

    public static double Density(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary>E f(√q z), z ~ N(0, 1).</summary>
    public static double Expect(Func<double, double> f, double q, double tolerance = 1e-14)
    {
        var scale = Math.Sqrt(q);
        // Split at 0 so kinks at the origin sit on an interval end.
        return Simpson(z => f(scale * z) * Density(z), -Cutoff, 0, tolerance)
             + Simpson(z => f(scale * z) * Density(z), 0, Cutoff, tolerance);
    }

    /// <summary>E g(√q z₁, √q (c z₁ + √(1 − c²) z₂)), nested one-dimensional integrals.</summary>
    public static double ExpectPair(Func<double, double, double> g, double q, double c, double tolerance = 1e-12)
    {
        var scale = Math.Sqrt(q);
        var s = Math.Sqrt(1 - c * c);
        double Inner(double z1) =>
            Density(z1) * (Simpson(z2 => g(scale * z1, scale * (c * z1 + s * z2)) * Density(z2), -Cutoff, 0, tolerance)
                         + Simpson(z2 => g(scale * z1, scale * (c * z1 + s * z2)) * Density(z2), 0, Cutoff, tolerance));
        return Simpson(Inner, -Cutoff, 0, tolerance) + Simpson(Inner, 0, Cutoff, tolerance);
    }

    public static double Simpson(Func<double, double> f, double a, double b, double tolerance)
    {
        var fa = f(a);
        var fb = f(b);
        var m = 0.5 * (a + b);
        var fm = f(m);
        var whole = (b - a) / 6 * (fa + 4 * fm + fb);
        return Refine(f, a, b, fa, fm, fb, whole, tolerance, depth: 0);
    }

    private static double Refine(Func<double, double> f, double a, double b, double fa, double fm, double fb, double whole, double tolerance, int depth)
    {
        var m = 0.5 * (a + b);
        var lm = 0.5 * (a + m);
        var rm = 0.5 * (m + b);
        var flm = f(lm);
        var frm = f(rm);
        var left = (m - a) / 6 * (fa + 4 * flm + fm);
        var right = (b - m) / 6 * (fm + 4 * frm + fb);
        var delta = left + right - whole;
        if (depth >= 50 || Math.Abs(delta) <= 15 * tolerance) return left + right + delta / 15;
        return Refine(f, a, m, fa, flm, fm, left, tolerance / 2, depth + 1)
             + Refine(f, m, b, fm, frm, fb, right, tolerance / 2, depth + 1);
    }

    /// <summary>Root of f on [a, b] by bisection (f(a), f(b) of opposite signs) to an absolute width.</summary>
    public static double Bisect(Func<double, double> f, double a, double b, double width = 1e-13)
    {
        var fa = f(a);
        for (var i = 0; i < 200 && b - a > width; i++)
        {
            var m = 0.5 * (a + b);
            var fm = f(m);
            if ((fm < 0) == (fa < 0)) { a = m; fa = fm; } else b = m;
        }
        return 0.5 * (a + b);
    }
}
