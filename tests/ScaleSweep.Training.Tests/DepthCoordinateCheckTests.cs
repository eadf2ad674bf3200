using ScaleSweep.Training.Diagnostics;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// Coordinate check over depth for the residual MLP (width 128, base width 64, base depth 2, depths 2–32,
/// 5 steps on one batch, 2 seeds), module "blocks" (the stream after the last block) and the readout.
/// Measured, Adam lr 1e-2: Depth-μP |slope| ≤ 0.05 and CompleteP ≤ 0.07 at every t, while SP and μP grow with
/// slope 0.83 at t = 1 (each ReLU branch adds variance) and 1.5–2.5 after the first update (then lr 1e-2 is too
/// large for SP at depth 32 and the stream collapses, hence t ≤ 2). SGD lr 0.05: Depth-μP ≤ 0.02, CompleteP
/// ≤ 0.11, SP 0.83–7.4, μP 0.69–1.1. With Depth-μP's residual multiplier set to 1, its readout slope is 0.85
/// (Adam) and 2.1 (SGD).
/// </summary>
public class DepthCoordinateCheckTests
{
    private static readonly int[] Depths = [2, 4, 8, 16, 32];

    private static IReadOnlyList<CoordinateSlope> Slopes(string parameterization, string optimizer, double lr)
    {
        var spec = Trials.Residual("resnet", parameterization, width: 128, depth: 2, optimizer: optimizer, lr: lr,
            baseWidth: 64, baseDepth: 2);
        var report = CoordinateCheck.Run(new CoordinateCheckSettings(spec, "depth", Depths, Steps: 5, Batch: 64, Seeds: 2));
        return report.Slopes.Where(s => s.Module is "blocks" or "output").ToArray();
    }

    [Theory]
    [InlineData("adam", 1e-2)]
    [InlineData("sgd", 0.05)]
    public void Depth_mup_and_completep_are_flat_in_depth_while_sp_and_mup_grow(string optimizer, double lr)
    {
        foreach (var flat in new[] { "depth-mup", "completep" })
        {
            var worst = Slopes(flat, optimizer, lr).MaxBy(s => Math.Abs(s.Slope))!;
            Assert.True(Math.Abs(worst.Slope) < 0.15, $"{flat} {optimizer}: {worst} is not flat in depth");
        }
        foreach (var growing in new[] { "sp", "mup" })
        {
            var stream = Slopes(growing, optimizer, lr).Where(s => s.Module == "blocks" && s.T <= 2).Min(s => s.Slope);
            Assert.True(stream > 0.5, $"{growing} {optimizer}: stream slope {stream} should grow clearly with depth");
        }
    }
}
