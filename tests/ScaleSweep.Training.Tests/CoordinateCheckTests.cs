using ScaleSweep.Training.Diagnostics;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// The standard μP correctness test. Measured here (widths 64..1024, 5 steps, 3 seeds): μP max |slope| for t ≥ 2
/// about 0.11 (Adam, lr 1e-2) and 0.18 (SGD, lr 0.5, from the readout's decaying init term at t = 2); SP at the
/// same LR: readout slope 0.6–1.4 (Adam) and 0.35–0.6 (SGD), hidden 0.5–0.7 (Adam).
/// </summary>
public class CoordinateCheckTests
{
    private static readonly int[] Widths = [64, 128, 256, 512, 1024];

    private static IReadOnlyList<CoordinateSlope> SlopesAfterUpdates(string parameterization, string optimizer, double lr)
    {
        var spec = Trials.Mlp(parameterization, optimizer: optimizer, lr: lr, baseWidth: 64);
        var report = CoordinateCheck.Run(new CoordinateCheckSettings(spec, "width", Widths, Steps: 5, Batch: 64, Seeds: 3));
        Assert.Equal(Widths.Length * 3 * 5, report.Records.Count); // 3 modules × 5 steps per width
        return report.Slopes.Where(s => s.T >= 2).ToArray();
    }

    [Theory]
    [InlineData("adam", 1e-2)]
    [InlineData("sgd", 0.5)]
    public void Mup_is_flat_in_width_while_sp_grows(string optimizer, double lr)
    {
        var mup = SlopesAfterUpdates("mup", optimizer, lr);
        var sp = SlopesAfterUpdates("sp", optimizer, lr);

        var worstMup = mup.MaxBy(s => Math.Abs(s.Slope))!;
        Assert.True(Math.Abs(worstMup.Slope) < 0.2, $"μP {optimizer}: {worstMup} is not flat");

        var spOutput = sp.Where(s => s.Module == "output").Min(s => s.Slope);
        Assert.True(spOutput > 0.3, $"SP {optimizer}: readout slope {spOutput} should grow clearly with width");
        Assert.True(sp.Max(s => s.Slope) > 2 * mup.Max(s => Math.Abs(s.Slope)));
        if (optimizer == "adam")
            Assert.True(sp.Where(s => s.Module == "hidden.1").Min(s => s.Slope) > 0.3, "SP Adam: hidden activations should grow");
    }

    [Fact]
    public void Slopes_fit_log2_mean_abs_against_log2_scale_per_module_and_step()
    {
        // mean|x| = 3·w^0.5 for the input, w^-1 for the output at t = 1; at t = 2 the input has one scale left.
        int[] widths = [64, 128, 256, 512];
        var records = widths.Select(w => new CoordinateRecord("input", 1, w, 3 * Math.Pow(w, 0.5)))
            .Concat(widths.Select(w => new CoordinateRecord("output", 1, w, 1.0 / w)))
            .Append(new CoordinateRecord("input", 2, 64, 1.0))
            .Append(new CoordinateRecord("input", 2, 128, 0.0)) // mean|x| = 0 has no logarithm: left out
            .ToArray();

        var slopes = CoordinateCheck.Slopes(records);

        Assert.Equal(["1 input", "1 output", "2 input"], slopes.Select(s => $"{s.T} {s.Module}"));
        Assert.Equal(0.5, slopes[0].Slope, 12);
        Assert.Equal(-1.0, slopes[1].Slope, 12);
        Assert.True(double.IsNaN(slopes[2].Slope), "one scale gives no slope");
    }
}
