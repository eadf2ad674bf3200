using ScaleSweep.Analysis.Results;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// Faults on real processes (three <c>scalesweep silo</c> on a real Redis), each held at a known point by a noop gate
/// the test opens: the sweep's host killed with the shipped timings, a silo drained by SIGTERM, Redis restarted.
/// </summary>
public class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(180);

    /// <summary>Documented as ≈ 10–15 s (docs/cluster.md); the bound leaves room for a loaded machine.</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_sweep_host_with_default_settings_costs_seconds_before_leasing_resumes()
    {
        using var cluster = new LocalCluster { DefaultTimings = true };
        string[] names = ["host-a", "host-b", "host-c"];
        var silos = await cluster.StartSilosAsync(names);
        // 12 trials pass the gate, then every slot holds a trial at it: the kill lands mid-sweep, and nothing a
        // survivor leases after the kill can be mistaken for a lease from before.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-host-kill.gate");
        var spec = cluster.WriteSpec("e2e-host-kill", workMs: 50, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);
        var held = await cluster.WaitForAsync(id, s => s.Counts.Final >= 12 && s.Running.Length == 6, Finish);
        var host = held.Host!;
        var victim = silos[Array.IndexOf(names, host)];
        var victimTrials = held.Running.Where(r => r.Worker == host).Select(r => r.Key).ToHashSet();

        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();
        File.WriteAllText(gate, "open");
        var maxRunning = 0;
        var status = await cluster.WaitForAsync(id, s =>
        {
            maxRunning = Math.Max(maxRunning, s.Counts.Running);
            return s.Finalized;
        }, Finish);
        Assert.Equal(63, status.Counts.Completed);

        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-host-kill"))).Trials;
        var firstNewLease = rows.Where(r => r.StartedAt > killedAt).Min(r => r.StartedAt) - killedAt;
        output.WriteLine($"host {host} killed: first trial started on a survivor {firstNewLease.TotalSeconds:0.0} s later; " +
            $"rows with attempt > 1: {rows.Count(r => r.Attempt > 1)}; most running seen: {maxRunning}");
        Assert.InRange(firstNewLease, TimeSpan.Zero, FailoverBound);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        Assert.InRange(maxRunning, 0, 6);
        // The victim's trials ran again because its silo was declared dead, not because their 20 s leases ran out.
        Assert.All(rows.Where(r => victimTrials.Contains(r.TrialKey)), r =>
        {
            Assert.NotEqual(host, r.Silo);
            Assert.StartsWith($"attempt 1: silo lost: worker {host}", r.Error);
        });
    }

    [Fact]
    public async Task A_silo_given_SIGTERM_takes_no_lease_and_lets_its_running_trials_finish()
    {
        using var cluster = new LocalCluster();
        string[] names = ["drain-a", "drain-b", "drain-c"];
        var silos = await cluster.StartSilosAsync(names, ["--stop-grace", "120"]);
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-drain.gate");
        var spec = cluster.WriteSpec("e2e-drain", workMs: 50, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);
        // Every slot holds a trial at the gate, so the drained silo can start nothing before the test opens it.
        var held = await cluster.WaitForAsync(id, s => s.Counts.Final >= 12 && s.Running.Length == 6, Finish);
        // A silo that does not host the sweep: this test is about the worker's drain, not the sweep grain moving.
        var name = names.First(n => n != held.Host);
        var silo = silos[Array.IndexOf(names, name)];
        var heldThere = held.Running.Where(r => r.Worker == name).Select(r => r.Key).ToHashSet();
        Assert.Equal(2, heldThere.Count);

        var signalled = DateTimeOffset.UtcNow;
        var exited = Task.Run(() => silo.Terminate(LocalCluster.StopTimeout));
        // The gate opens only once the silo has stopped asking for leases: from then on it could start a trial.
        await silo.WaitForLogAsync("draining", TimeSpan.FromSeconds(60));
        File.WriteAllText(gate, "open");
        Assert.True(await exited, $"{name} did not exit:\n{silo.Log}");
        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(63, status.Counts.Completed);

        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-drain"))).Trials;
        output.WriteLine($"{name} drained; rows by silo: {string.Join(", ", rows.GroupBy(r => r.Silo).Select(g => $"{g.Key}={g.Count()}"))}; attempts>1: {rows.Count(r => r.Attempt > 1)}");
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        var byKey = rows.ToDictionary(r => r.TrialKey);
        // What the silo was running finished there, in the grace, instead of being released and run again.
        Assert.All(heldThere, key => Assert.Equal((name, 1), (byKey[key].Silo, byKey[key].Attempt)));
        // Nothing else ran there after the signal: its other rows passed the gate before it.
        Assert.All(rows.Where(r => r.Silo == name && !heldThere.Contains(r.TrialKey)), r => Assert.True(r.FinishedAt < signalled, r.TrialKey));
        Assert.Contains("drained: 2 of 2 running trials finished, 0 stopped", silo.Log);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("86400")]
    public void A_stop_grace_out_of_range_is_refused_naming_the_flag(string seconds)
    {
        // Refused before the silo reaches for Redis (nothing listens on port 1).
        var outcome = CliProcess.Run(CliProcess.ClientBound, "silo", "--stop-grace", seconds, "--redis", "127.0.0.1:1");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: --stop-grace: must be a non-negative number of seconds", outcome.Stderr.Trim());
    }

    [Fact]
    public async Task A_silo_and_a_client_wait_for_a_Redis_that_does_not_answer_then_stop_with_one_line()
    {
        // Nothing listens on port 1: every probe is refused at once, so both wait out their full 60 s patience.
        const string address = "127.0.0.1:1";
        var silo = Task.Run(() => CliProcess.Run(CliProcess.ClientBound, "silo", "--silo-port", "0", "--gateway-port", "0", "--redis", address));
        var status = Task.Run(() => CliProcess.Run(CliProcess.ClientBound, "status", "some-sweep", "--redis", address));
        foreach (var (what, outcome) in new[] { ("silo", await silo), ("status", await status) })
        {
            output.WriteLine($"{what}: exit {outcome.ExitCode}: {outcome.Stderr.Trim()}");
            Assert.Equal(1, outcome.ExitCode);
            Assert.Equal("", outcome.Stdout.Trim());
            var lines = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith($"waiting for Redis at {address} (", lines[0]);
            Assert.StartsWith($"error: Redis at {address} did not answer within 60 s (", lines[1]);
            Assert.EndsWith("check --redis and that Redis is running", lines[1]);
        }
    }

    [Fact]
    public async Task A_sweep_survives_Redis_stopped_for_10_s_mid_sweep_with_every_trial_once()
    {
        using var redis = RedisServer.StartDurable();
        using var cluster = new LocalCluster(redis);
        var silos = await cluster.StartSilosAsync("redis-a", "redis-b", "redis-c");
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-redis.gate");
        var spec = cluster.WriteSpec("e2e-redis", workMs: 50, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);
        await cluster.WaitForAsync(id, s => s.Counts.Final >= 12 && s.Running.Length == 6, Finish);

        // The outage is a duration, not a race: the sweep is held at the gate until Redis is back.
        redis.Stop();
        await Task.Delay(TimeSpan.FromSeconds(10));
        redis.Restart();
        File.WriteAllText(gate, "open");

        var status = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(63, status.Counts.Completed);
        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "e2e-redis"))).Trials;
        output.WriteLine($"rows by silo: {string.Join(", ", rows.GroupBy(r => r.Silo).Select(g => $"{g.Key}={g.Count()}"))}; attempts>1: {rows.Count(r => r.Attempt > 1)}");
        Assert.Equal(63, rows.Length);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), rows.Select(r => r.TrialKey).Order());
        Assert.All(silos, s => Assert.False(s.HasExited, $"a silo died with Redis:\n{s.Log}"));
    }
}
