using ScaleSweep.Analysis.FeatureDiversity;

namespace ScaleSweep.Analysis.Tests;

/// <summary>
/// The diversity exponent on constructed residual streams whose exponent is known in closed form: a random walk
/// (independent increments, E‖h_{l+k} − h_l‖ ∝ √k exactly) has κ = ½; a path along a quarter circle, smooth in l,
/// has chord 2R·sin(πk/4L) ≈ k/L, κ = 1 (the chord's bend moves the fitted slope by under 0.01 at k ≤ L/2).
/// </summary>
public class FeatureDiversityTests
{
    private const int Depth = 32, Examples = 64, Width = 128;

    private static ResidualStreams Build(Func<Random, float[][]> example)
    {
        var random = new Random(17);
        var values = new float[(Depth + 1) * Examples * Width];
        for (var x = 0; x < Examples; x++)
        {
            var path = example(random);
            for (var l = 0; l <= Depth; l++) Array.Copy(path[l], 0, values, (l * Examples + x) * Width, Width);
        }
        return new ResidualStreams(Depth, Examples, Width, values);
    }

    private static float[] Gaussian(Random random, double std) =>
        Enumerable.Range(0, Width).Select(_ => (float)(std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    [Fact]
    public void A_random_walk_has_exponent_one_half()
    {
        // Depth-μP's stream: h_0 of unit scale plus L independent branches of size L^-½.
        var streams = Build(random =>
        {
            var path = new float[Depth + 1][];
            path[0] = Gaussian(random, 1);
            for (var l = 1; l <= Depth; l++)
                path[l] = path[l - 1].Zip(Gaussian(random, 1 / Math.Sqrt(Depth)), (h, step) => h + step).ToArray();
            return path;
        });
        var fit = FeatureDiversityAnalysis.Measure(streams);
        Assert.Equal([1, 2, 4, 8, 16], fit.Gaps.Select(g => g.K));
        Assert.InRange(fit.Exponent, 0.45, 0.55);
    }

    [Fact]
    public void A_smooth_path_has_exponent_one()
    {
        var streams = Build(random =>
        {
            var (u, v) = (Gaussian(random, 1), Gaussian(random, 1));
            return Enumerable.Range(0, Depth + 1).Select(l =>
            {
                var angle = Math.PI / 2 * l / Depth;
                return u.Zip(v, (a, b) => (float)(Math.Cos(angle) * a + Math.Sin(angle) * b)).ToArray();
            }).ToArray();
        });
        Assert.InRange(FeatureDiversityAnalysis.Measure(streams).Exponent, 0.95, 1.05);
    }

    [Fact]
    public void Distances_are_relative_to_the_stream_scale()
    {
        // Scaling every stream by 1000 changes no distance: d(k) is relative to the example's own stream size.
        var walk = Build(random =>
        {
            var path = new float[Depth + 1][];
            path[0] = Gaussian(random, 1);
            for (var l = 1; l <= Depth; l++) path[l] = path[l - 1].Zip(Gaussian(random, 0.1), (h, s) => h + s).ToArray();
            return path;
        });
        var scaled = walk with { Values = walk.Values.Select(v => v * 1000f).ToArray() };
        var (a, b) = (FeatureDiversityAnalysis.Measure(walk), FeatureDiversityAnalysis.Measure(scaled));
        foreach (var (g, h) in a.Gaps.Zip(b.Gaps)) Assert.Equal(g.Distance, h.Distance, 1e-4);
        // One block's increment of std 0.1 per feature against a stream of std ≈ 1 per feature: about 0.1.
        Assert.InRange(a.Gaps[0].Distance, 0.07, 0.12);
    }

    [Fact]
    public void A_gap_beyond_the_depth_or_a_wrong_shape_is_refused()
    {
        var streams = new ResidualStreams(4, 1, 2, new float[5 * 2]);
        Assert.Contains("gap 5", Assert.Throws<ArgumentException>(() => FeatureDiversityAnalysis.Measure(streams, [1, 5])).Message);
        Assert.Throws<ArgumentException>(() => FeatureDiversityAnalysis.Measure(streams with { Values = new float[7] }));
        Assert.Equal([1, 2, 4], FeatureDiversityAnalysis.DefaultGaps(9));
    }
}
