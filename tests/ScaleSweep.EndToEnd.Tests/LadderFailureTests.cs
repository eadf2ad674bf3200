using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Analysis.Results;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// A ladder sweep on three <c>scalesweep silo</c> processes: SIGKILL of one silo, then a full restart, each with every
/// planned key stored exactly once. The noop model's optimum moves one grid step down per doubling of width, so
/// which trials the ladder plans is known in advance (worked out by hand below).
/// </summary>
public class LadderFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(120);

    /// <summary>
    /// 3 widths × lr 2^-10…2^-4 × 3 seeds = 63 grid trials; η* = 2^-8 at 64, 2^-9 at 128, 2^-10 at 256. With one
    /// full scale: 64 runs all 7 rates; 128 starts at [-9, -7] around 64's η*, finds its minimum on the lower edge and
    /// grows to [-10, -7] (the grid's bound); 256 is predicted at 2^-10 and gets [-10, -8]. 21 + 12 + 9 = 42 trials.
    /// </summary>
    private static readonly (int Width, int[] Log2Lrs)[] Planned =
    [
        (64, [-10, -9, -8, -7, -6, -5, -4]),
        (128, [-10, -9, -8, -7]),
        (256, [-10, -9, -8]),
    ];

    [Fact]
    public async Task A_ladder_survives_SIGKILL_of_one_silo_with_every_planned_trial_exactly_once()
    {
        using var cluster = new LocalCluster();
        var silos = await cluster.StartSilosAsync("lkill-a", "lkill-b", "lkill-c");
        // The gate holds the sweep inside its first scale: 15 of width 64's 21 trials finish, the rest wait.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-ladder-kill.gate");
        var spec = WriteSpec(cluster, "e2e-ladder-kill", gate, gatePasses: 15);
        var id = cluster.Submit(spec);
        var held = await cluster.WaitForAsync(id, s => s.Counts.Final >= 15 && s.Counts.Running > 0, Finish);
        Assert.Equal(21, held.Counts.Total);

        silos[1].Kill();
        File.WriteAllText(gate, "open");
        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(42, status.Counts.Completed);
        Assert.Equal(42, status.Counts.Total);

        var json = JsonNode.Parse(CliProcess.Run(CliProcess.ClientBound, "status", id, "--redis", cluster.Redis.Address, "--json").Stdout)!.AsObject();
        Assert.Equal(63, (int)json["grid_trials"]!);
        var stage = Assert.Single(json["stages"]!.AsArray())!;
        Assert.Equal(3, (int)stage["opened"]!);
        Assert.True((bool)stage["done"]!);

        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-ladder-kill"))).Trials;
        output.WriteLine($"rows by silo: {string.Join(", ", rows.GroupBy(r => r.Silo).Select(g => $"{g.Key}={g.Count()}"))}; attempts>1: {rows.Count(r => r.Attempt > 1)}");
        Assert.Equal(ExpectedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
    }

    [Fact]
    public async Task A_ladder_stopped_mid_climb_resumes_on_restart_with_the_same_plan()
    {
        using var cluster = new LocalCluster();
        var first = await cluster.StartSilosAsync("lgen1-a", "lgen1-b", "lgen1-c");
        // 27 trials pass: all 21 of width 64 (so 128 is planned) and 6 of 128's first window; the rest wait.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-ladder-restart.gate");
        var spec = WriteSpec(cluster, "e2e-ladder-restart", gate, gatePasses: 27);
        var id = cluster.Submit(spec);
        var held = await cluster.WaitForAsync(id, s => s.Counts.Final >= 27 && s.Counts.Running > 0, Finish);
        Assert.Equal(21 + 9, held.Counts.Total);

        await Task.WhenAll(first.Select(s => Task.Run(() => Assert.True(s.Terminate(LocalCluster.StopTimeout), $"silo {s.Pid} did not stop:\n{s.Log}"))));
        var folder = Path.Combine(cluster.ResultsRoot, "e2e-ladder-restart");
        var stored = ResultsReader.HasResults(folder) ? (await ResultsReader.ReadAsync(folder)).Trials : [];
        output.WriteLine($"{stored.Length} trials stored when every silo was stopped");
        Assert.InRange(stored.Length, 1, 27);

        File.WriteAllText(gate, "open");
        await cluster.StartSilosAsync("lgen2-a", "lgen2-b", "lgen2-c");
        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(42, status.Counts.Completed);

        var rows = (await ResultsReader.ReadAsync(folder)).Trials;
        Assert.Equal(ExpectedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        var final = rows.ToDictionary(r => r.TrialKey);
        foreach (var before in stored)
        {
            Assert.Equal(before.Silo, final[before.TrialKey].Silo);
            Assert.Equal(before.StartedAt, final[before.TrialKey].StartedAt);
        }
        Assert.Contains(rows, r => r.Silo.StartsWith("lgen2-", StringComparison.Ordinal));
    }

    /// <summary>The keys of <see cref="Planned"/>: every seed of each planned width and rate.</summary>
    private static List<string> ExpectedKeys(string specPath) =>
        [.. SweepSpecLoader.Load(specPath, SpecMode.Cluster).Expand().Trials
            .Where(t => Planned.Any(p => p.Width == t.Spec.Model.Width && p.Log2Lrs.Contains((int)Math.Round(Math.Log2(t.Spec.Optim.Lr)))))
            .Select(t => t.Key)];

    private static string WriteSpec(LocalCluster cluster, string name, string gate, int gatePasses) =>
        cluster.WriteSpec(name, workMs: 50, gate, gatePasses, model: "optimum_slope: -1",
            sections: "strategy: ladder\nladder: { full_scales: 1, points: 3 }");
}
