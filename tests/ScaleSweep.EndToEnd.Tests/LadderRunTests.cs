using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary><c>scalesweep run</c> of a ladder: the noop model's known optimum law is found with fewer trials than the grid.</summary>
public class LadderRunTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalesweep-ladder-" + Guid.NewGuid().ToString("N")[..8]);

    public LadderRunTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task A_ladder_finds_the_optimum_at_every_width_with_fewer_trials_than_the_grid_and_resumes()
    {
        // η* = 2^(-8 - log2(width/64)): 2^-8, 2^-9, 2^-10, 2^-11 at widths 64 … 512.
        double Truth(double width) => -8 - Math.Log2(width / 64);
        var grid = Run("grid", "strategy: grid");
        var ladder = Run("ladder", "strategy: ladder");
        Assert.Equal(4 * 9 * 2, (int)grid["completed"]!);
        // Two full scales (2 × 9 rates × 2 seeds) and three rates at 256 and 512: 48 trials.
        Assert.Equal(48, (int)ladder["completed"]!);
        Assert.Equal(48, (int)ladder["total"]!);
        Assert.Equal(72, (int)ladder["grid_trials"]!);

        var gridPoints = Points(grid);
        var ladderPoints = Points(ladder);
        Assert.Equal([64.0, 128, 256, 512], ladderPoints.Keys.Order());
        foreach (var (width, log2Lr) in ladderPoints)
        {
            Assert.InRange(log2Lr, Truth(width) - 0.25, Truth(width) + 0.25);
            Assert.InRange(log2Lr, gridPoints[width] - 0.25, gridPoints[width] + 0.25);
        }

        // Resuming re-derives the same plan from the stored rows: nothing runs again.
        var output = Path.Combine(_dir, "ladder");
        var resumed = CliProcess.Run(Timeout, "run", Path.Combine(_dir, "ladder.yaml"), "--out", output, "--resume", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var again = JsonNode.Parse(resumed.Stdout)!.AsObject();
        Assert.Equal(48, (int)again["resumed"]!);
        Assert.Equal(48, (int)again["total"]!);
        Assert.Equal(48, (await ResultsReader.ReadStoredKeysAsync(output)).Count);
    }

    [Fact]
    public async Task A_pruned_ladder_stores_each_planned_trial_once_with_the_cut_ones_pruned_at_their_rung()
    {
        var run = Run("pruned", "strategy: ladder\nladder: { prune: { at: 0.25, keep: 0.5 } }");
        // Each seed's first window loses floor(n/2): 4 of 9 rates at 64 and 128, 1 of 3 at 256 and 512; 2 seeds.
        Assert.Equal(2 * 2 * 4 + 2 * 2 * 1, (int)run["pruned"]!);
        var total = (int)run["total"]!;
        Assert.Equal(total, (int)run["completed"]! + (int)run["pruned"]!);
        var rows = (await ResultsReader.ReadAsync(Path.Combine(_dir, "pruned"))).Trials;
        Assert.Equal(total, rows.Select(r => r.TrialKey).Distinct().Count());
        Assert.Equal(total, rows.Length);
        // A pruned row holds the rung's measurements: 3 of the 10 steps.
        Assert.All(rows.Where(r => r.Status == TrialStatus.Pruned), r => Assert.Equal(3, r.Steps));
        Assert.All(rows.Where(r => r.Status == TrialStatus.Completed), r => Assert.Equal(10, r.Steps));
    }

    private JsonObject Run(string name, string strategy)
    {
        var spec = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(spec, $$"""
            name: {{name}}
            model: { kind: noop, optimum_slope: -1 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            grid:
              width: [64, 128, 256, 512]
              lr: { log2: { from: -12, to: -4, step: 1 } }
              seed: [0, 1]
            transfer: { axis: width, tolerance_log2: 1.0 }
            """ + "\n" + strategy + "\n");
        var run = CliProcess.Run(Timeout, "run", spec, "--out", Path.Combine(_dir, name), "--slots", "4", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonNode.Parse(run.Stdout)!.AsObject();
    }

    private static Dictionary<double, double> Points(JsonObject run) =>
        run["transfer"]![0]!["points"]!.AsArray().ToDictionary(p => (double)p!["scale"]!, p => (double)p!["log2_lr_opt"]!);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
