using ScaleSweep.Abstractions.Numerics;

namespace ScaleSweep.Analysis.FeatureDiversity;

/// <summary>
/// The residual stream of a network with <see cref="Depth"/> blocks on a batch: h_0 (before the first block) and
/// h_1 … h_L (after each block), for <see cref="Examples"/> examples of <see cref="Width"/> features each, stored
/// flat as [layer, example, feature].
/// </summary>
public sealed record ResidualStreams(int Depth, int Examples, int Width, float[] Values)
{
    public int Layers => Depth + 1;

    public float this[int layer, int example, int feature] => Values[((long)layer * Examples + example) * Width + feature];

    /// <summary>Checks the shape against the values, naming what is wrong.</summary>
    public void Validate()
    {
        if (Depth < 2) throw new ArgumentException($"depth {Depth}: feature diversity needs at least two blocks");
        if (Examples < 1 || Width < 1) throw new ArgumentException("streams need at least one example of at least one feature");
        if (Values.LongLength != (long)Layers * Examples * Width)
            throw new ArgumentException($"{Values.LongLength} values for {Layers} layers × {Examples} examples × {Width} features");
    }
}

/// <summary>Mean relative distance between the streams k blocks apart.</summary>
public sealed record DiversityGap(int K, double Distance);

/// <summary>The distances per gap and the fitted exponent κ of distance ∝ (k/L)^κ (NaN when it cannot be fitted).</summary>
public sealed record DiversityFit(int Depth, IReadOnlyList<DiversityGap> Gaps, double Exponent);

/// <summary>
/// Feature diversity (Tensor Programs VI): how different the features of nearby blocks are. For a gap k,
/// d(k) = mean over examples x and over l = 0 … L−k of ‖h_{l+k}(x) − h_l(x)‖ / s(x), where s(x) = mean over l of
/// ‖h_l(x)‖ is the example's stream scale (one scale per example, so a constructed stream with a known exponent
/// keeps it exactly). κ is the least-squares slope of ln d(k) against ln(k/L). A stream of independent block
/// increments (a random walk: Depth-μP's L^-½ branches) has κ = ½; a smooth path in l (branches ∝ 1/L whose
/// updates agree between neighbouring blocks) has κ = 1. Larger distances at small k/L mean more diverse blocks.
/// </summary>
public static class FeatureDiversityAnalysis
{
    /// <summary>Gaps 1, 2, 4, … up to L/2: evenly spaced on the log axis, and each averaged over at least L/2 + 1 pairs.</summary>
    public static IReadOnlyList<int> DefaultGaps(int depth)
    {
        var gaps = new List<int>();
        for (var k = 1; k <= depth / 2; k *= 2) gaps.Add(k);
        return gaps;
    }

    public static DiversityFit Measure(ResidualStreams streams) => Measure(streams, DefaultGaps(streams.Depth));

    public static DiversityFit Measure(ResidualStreams streams, IReadOnlyList<int> gaps)
    {
        streams.Validate();
        foreach (var k in gaps)
            if (k < 1 || k > streams.Depth) throw new ArgumentException($"gap {k}: must be between 1 and the depth {streams.Depth}");
        var scale = new double[streams.Examples];
        for (var x = 0; x < streams.Examples; x++)
        {
            for (var l = 0; l < streams.Layers; l++) scale[x] += Distance(streams, x, l, -1);
            scale[x] /= streams.Layers;
        }
        var measured = gaps.Distinct().Order().Select(k =>
        {
            double sum = 0;
            var pairs = 0;
            for (var x = 0; x < streams.Examples; x++)
            {
                if (!(scale[x] > 0)) continue;
                for (var l = 0; l + k < streams.Layers; l++, pairs++) sum += Distance(streams, x, l + k, l) / scale[x];
            }
            return new DiversityGap(k, pairs == 0 ? double.NaN : sum / pairs);
        }).ToArray();
        return new DiversityFit(streams.Depth, measured, Exponent(streams.Depth, measured));
    }

    /// <summary>Slope of ln d(k) against ln(k/L) over the gaps with a positive finite distance; NaN with fewer than two.</summary>
    public static double Exponent(int depth, IReadOnlyList<DiversityGap> gaps)
    {
        var usable = gaps.Where(g => g.Distance > 0 && double.IsFinite(g.Distance)).ToArray();
        return LeastSquares.Slope([.. usable.Select(g => Math.Log((double)g.K / depth))], [.. usable.Select(g => Math.Log(g.Distance))]) ?? double.NaN;
    }

    /// <summary>‖h_a(x) − h_b(x)‖, or ‖h_a(x)‖ when b is −1.</summary>
    private static double Distance(ResidualStreams streams, int x, int a, int b)
    {
        double sum = 0;
        for (var i = 0; i < streams.Width; i++)
        {
            double d = streams[a, x, i] - (b < 0 ? 0f : streams[b, x, i]);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
