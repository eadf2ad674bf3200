using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Hosting;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>Three <c>scalesweep silo</c> processes on a real Redis: a silo killed with SIGKILL (any, then the sweep's host), then a full restart.</summary>
public class ClusterFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_sweep_survives_SIGKILL_of_one_silo_with_every_trial_exactly_once()
    {
        using var cluster = new LocalCluster();
        var silos = await cluster.StartSilosAsync("kill-a", "kill-b", "kill-c");
        // The gate holds the sweep after 12 trials, so the kill always lands mid-sweep however loaded the machine is.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-kill.gate");
        var spec = cluster.WriteSpec("e2e-kill", workMs: 150, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);

        await cluster.WaitForAsync(id, s => s.Counts.Final >= 12, Finish);
        silos[1].Kill();

        // At once, while the dead silo is still a member: an answer, or one line after the client's patience.
        var during = CliProcess.Run(Finish, "status", id, "--redis", cluster.Redis.Address, "--json");
        output.WriteLine($"status right after the kill: exit {during.ExitCode}; {during.Stdout.Trim()} {during.Stderr.Trim()}");
        if (during.ExitCode == 0) Assert.Equal(id, (string?)JsonNode.Parse(during.Stdout)!["id"]);
        else Assert.Equal(["exit 1, one line"], [$"exit {during.ExitCode}, {(during.Stderr.Trim().Contains('\n') ? "several lines" : "one line")}"]);
        File.WriteAllText(gate, "open");

        // watch follows the sweep to its end through the failover; stdout is a pipe here, so it prints plain lines.
        var watch = CliProcess.Run(Finish, "watch", id, "--redis", cluster.Redis.Address, "--interval", "0.5");
        Assert.True(watch.ExitCode == 0, watch.Stderr);
        Assert.Contains("completed", watch.Stdout);
        Assert.DoesNotContain("\r", watch.Stdout);

        var status = CliProcess.Run(CliProcess.ClientBound, "status", id, "--redis", cluster.Redis.Address, "--json");
        Assert.Equal(0, status.ExitCode);
        var json = JsonNode.Parse(status.Stdout)!.AsObject();
        Assert.Equal(["id", "state", "total", "pending", "running", "completed", "diverged", "failed", "cancelled", "host"], json.Select(p => p.Key));
        Assert.Equal("completed", (string?)json["state"]);
        Assert.Equal(63, (int)json["completed"]!);
        // After the kill the sweep lives on a silo that is still alive.
        Assert.Contains((string?)json["host"], new[] { "kill-a", "kill-c" });

        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-kill"))).Trials;
        output.WriteLine($"rows by silo: {string.Join(", ", rows.GroupBy(r => r.Silo).Select(g => $"{g.Key}={g.Count()}"))}; attempts>1: {rows.Count(r => r.Attempt > 1)}");
        Assert.Equal(63, rows.Length);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
    }

    [Fact]
    public async Task Killing_the_silo_that_hosts_the_sweep_reruns_only_the_trials_that_ran_on_it()
    {
        // The victim's leases end when its death is declared, not when they expire; 10 s leases (not 3) keep a
        // survivor's renewals, delayed by the failover on a loaded machine, from costing a re-execution.
        using var cluster = new LocalCluster { LeaseSeconds = 10 };
        string[] names = ["host-a", "host-b", "host-c"];
        var silos = await cluster.StartSilosAsync(names);
        // 12 trials pass the gate, then every slot holds a gated trial: the kill lands right behind the last
        // acknowledged results and leases, which is what a host kill used to lose (results not yet written).
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-host-kill.gate");
        var spec = cluster.WriteSpec("e2e-host-kill", workMs: 150, gate: gate, gatePasses: 12);
        // Connected before the sweep starts and polling fast, so the kill follows the 12th result by milliseconds.
        await using var client = await ClusterClient.ConnectAsync(cluster.Redis.Configuration, CancellationToken.None);
        var id = cluster.Submit(spec);
        var before = await client.Sweeps.StatusAsync(id);
        for (var deadline = DateTime.UtcNow + Finish; before.Counts.Final < 12; before = await client.Sweeps.StatusAsync(id))
        {
            Assert.True(DateTime.UtcNow < deadline, $"12 trials did not pass the gate: {before.Counts}");
            await Task.Delay(10);
        }
        var victim = Array.IndexOf(names, before.Host);
        Assert.True(victim >= 0, $"host '{before.Host}' is none of the silos");
        silos[victim].Kill();
        output.WriteLine($"killed {before.Host} with {before.Counts.Final} trials final, {before.Counts.Running} running");
        File.WriteAllText(gate, "open");

        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(63, status.Counts.Completed);
        Assert.NotEqual(before.Host, status.Host);
        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-host-kill"))).Trials;
        var rerun = rows.Where(r => r.Attempt > 1).ToArray();
        output.WriteLine($"rows with attempt > 1: {rerun.Length} ({string.Join("; ", rerun.Select(r => $"{r.Silo}: {r.Error}"))}); retries {status.Retries}, duplicates {status.DuplicatesDropped}");
        Assert.Equal(63, rows.Length);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        // Every acknowledged result survived the host: only the victim's own slots (2 each) ran again.
        Assert.InRange(rerun.Length, 0, 2);
    }

    [Fact]
    public async Task Packed_trials_complete_exactly_once_after_SIGKILL_of_a_silo_training_a_pack()
    {
        using var cluster = new LocalCluster();
        var silos = await cluster.StartSilosAsync("pack-a", "pack-b", "pack-c");
        // Real MLP trials (noop trials never pack), four to a pack: 32 trials in 8 packs of 12,000 steps, more packs
        // than the 6 slots, so pack-b gets some. The kill waits for pack-b to report a pack at most a third trained,
        // so thousands of steps are still ahead of it however fast the machine is (and a loaded one only makes them
        // slower).
        var spec = Path.Combine(cluster.ResultsRoot, "e2e-pack.yaml");
        File.WriteAllText(spec, """
            name: e2e-pack
            output: e2e-pack
            model: { kind: mlp, depth: 1 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 12000, batch: 32, eval_every: 12000, log_every: 1000 }
            parameterizations: [mup]
            base: { width: 32, depth: 1 }
            grid:
              width: [32, 64]
              lr: { log2: { from: -9, to: -6, step: 1 } }
              seed: [0, 1, 2, 3]
            transfer: { axis: width, tolerance_log2: 1.0 }
            resources: { pack: 4, max_attempts: 3 }
            """);
        var id = cluster.Submit(spec);

        var held = await cluster.WaitForAsync(id, s => s.Running.Count(r => r.Worker.Contains("pack-b") && r.Step is > 0 and < 4000) >= 2, Finish);
        silos[1].Kill();
        var interrupted = held.Running.Where(r => r.Worker.Contains("pack-b")).Select(r => r.Key).ToArray();
        output.WriteLine($"killed pack-b holding {interrupted.Length} packed trials at steps {string.Join(", ", held.Running.Where(r => r.Worker.Contains("pack-b")).Select(r => r.Step))}");

        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(32, status.Counts.Completed + status.Counts.Diverged);
        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-pack"))).Trials;
        Assert.Equal(32, rows.Length);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        // The members of pack-b's pack were trained again elsewhere, each reported under its own key once.
        var again = rows.Where(r => interrupted.Contains(r.TrialKey)).ToArray();
        Assert.NotEmpty(again);
        Assert.All(again, r => Assert.DoesNotContain("pack-b", r.Silo));
    }

    [Fact]
    public async Task A_cluster_stopped_mid_sweep_resumes_on_restart_without_rerunning_stored_trials()
    {
        using var cluster = new LocalCluster();
        var first = await cluster.StartSilosAsync("gen1-a", "gen1-b", "gen1-c");
        // The gate holds the sweep: 12 trials finish, the rest wait until the test opens it after the restart, so
        // the stop always lands mid-sweep however fast or loaded the machine is.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-restart.gate");
        var spec = cluster.WriteSpec("e2e-restart", workMs: 100, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);
        await cluster.WaitForAsync(id, s => s.Counts.Final >= 12, Finish);

        await Task.WhenAll(first.Select(s => Task.Run(() => Assert.True(s.Terminate(LocalCluster.StopTimeout), $"silo {s.Pid} did not stop:\n{s.Log}"))));
        var folder = Path.Combine(cluster.ResultsRoot, "e2e-restart");
        var stored = ResultsReader.HasResults(folder) ? (await ResultsReader.ReadAsync(folder)).Trials : [];
        output.WriteLine($"{stored.Length} trials stored when every silo was stopped");
        Assert.InRange(stored.Length, 1, 12);

        File.WriteAllText(gate, "open");
        await cluster.StartSilosAsync("gen2-a", "gen2-b", "gen2-c");
        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(63, status.Counts.Completed);

        var rows = (await ResultsReader.ReadAsync(folder)).Trials;
        Assert.Equal(63, rows.Length);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        var final = rows.ToDictionary(r => r.TrialKey);
        foreach (var before in stored)
        {
            // Stored before the stop: kept as it was, not run again by the second generation.
            Assert.Equal(before.Silo, final[before.TrialKey].Silo);
            Assert.Equal(before.StartedAt, final[before.TrialKey].StartedAt);
        }
        Assert.Contains(rows, r => r.Silo.StartsWith("gen2-", StringComparison.Ordinal));
    }
}
