using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// <c>bench-ladder</c> on noop trials whose optimum is known: log2 η* = −8 − 0.5 · log2(width / 64). The ladder must
/// find it at every width with fewer trials than the grid, and the benchmark must say so.
/// </summary>
public sealed class BenchLadderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scalesweep-bench-ladder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_ladder_finds_the_grids_optima_for_less_compute_and_the_benchmark_reports_it()
    {
        var spec = Path.Combine(_root, "noop-ladder.yaml");
        File.WriteAllText(spec, """
            name: noop-ladder
            model: { kind: noop, work_ms: 20, optimum_slope: -0.5 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            base: { width: 64 }
            grid:
              width: [64, 128, 256, 512]
              lr: { log2: { from: -14, to: -4, step: 1 } }
              seed: [0, 1]
            strategy: ladder
            ladder: { full_scales: 2, points: 3 }
            """);
        var outcome = ScaleSweepProcess.Run(TimeSpan.FromMinutes(6), null, "bench-ladder", spec, "--out", Path.Combine(_root, "out"), "--json");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        var doc = JsonDocument.Parse(outcome.Stdout).RootElement;

        Assert.Equal(88, doc.GetProperty("grid").GetProperty("trials").GetInt32());
        var ladderTrials = doc.GetProperty("ladder").GetProperty("trials").GetInt32();
        Assert.InRange(ladderTrials, 44 + 4 * 2, 87);
        Assert.InRange(doc.GetProperty("ratio").GetDouble(), 0.01, 0.99);
        Assert.InRange(doc.GetProperty("priced_ratio").GetDouble(), 0.01, 0.99);
        Assert.True(doc.GetProperty("same_verdicts").GetBoolean());
        Assert.InRange(doc.GetProperty("largest_difference").GetDouble(), 0, 0.5);

        var points = doc.GetProperty("parameterizations")[0].GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([64.0, 128, 256, 512], points.Select(p => p.GetProperty("scale").GetDouble()));
        foreach (var p in points)
        {
            var truth = -8 - 0.5 * Math.Log2(p.GetProperty("scale").GetDouble() / 64);
            Assert.InRange(p.GetProperty("ladder").GetDouble(), truth - 0.3, truth + 0.3);
        }
    }
}
