using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Hosting;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>Redis plus <c>scalesweep silo</c> processes on loopback, sharing one results root.</summary>
/// <remarks>Without arguments: a Redis without password and plain TCP; a secured cluster passes its Redis and the flags and environment that reach it.</remarks>
public sealed class LocalCluster(RedisServer? redis = null) : IDisposable
{
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A silo stopped with SIGTERM while its peers stop too drains its trials (up to the 10 s stop grace) and then
    /// waits on calls to silos that are leaving (up to the 15–30 s response timeouts): slow on a loaded machine, so
    /// the bound is wide; these tests are about what the next generation finds, not how fast the last one left.
    /// </summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(150);

    private readonly List<SiloProcess> _silos = [];

    public RedisServer Redis { get; } = redis ?? RedisServer.Start();

    /// <summary>Flags every silo and CLI command gets to reach the cluster (default <c>--redis ADDRESS</c>).</summary>
    public string[]? Access { get; init; }

    /// <summary>Environment of every silo and CLI command (secrets kept off the command line).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>TLS material of the in-test client (<see cref="WaitForAsync"/>).</summary>
    public ClusterTls? Tls { get; init; }

    /// <summary>
    /// Silos with the shipped timings (20 s leases, default membership) instead of the short leases and
    /// <c>--fast-failover</c> the other tests use: for measuring what an operator gets.
    /// </summary>
    public bool DefaultTimings { get; init; }

    /// <summary>Lease duration of the short timings: short so that a lost worker's trials come back quickly.</summary>
    public int LeaseSeconds { get; init; } = 3;

    private string[] Timings => DefaultTimings ? [] : ["--lease-duration", LeaseSeconds.ToString(), "--renew-period", "0.5", "--fast-failover"];

    private string[] AccessFlags => Access ?? ["--redis", Redis.Address];

    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "scalesweep-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Starts silos (short leases and fast failure detection unless <see cref="DefaultTimings"/>) and waits until all are ready.</summary>
    public Task<SiloProcess[]> StartSilosAsync(params string[] names) => StartSilosAsync(names, []);

    /// <summary>As above, each silo also given <paramref name="extraArgs"/> (e.g. <c>--dashboard-port</c>).</summary>
    public async Task<SiloProcess[]> StartSilosAsync(string[] names, string[] extraArgs)
    {
        Directory.CreateDirectory(ResultsRoot);
        return await Task.WhenAll(names.Select(name => StartReadyAsync(name, extraArgs)));
    }

    /// <summary>
    /// Starts one silo and waits until it is ready. A joining silo that its peers could not probe in time (a machine
    /// running several suites at once can stall a starting process for seconds, and the tests' membership timing
    /// allows one) is declared dead and stops itself: that one is started again, as a deployment's restart policy
    /// would. Any other early exit fails the test.
    /// </summary>
    private async Task<SiloProcess> StartReadyAsync(string name, string[] extraArgs)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = CliProcess.StartSilo(Environment,
                [.. AccessFlags, "--slots", "2",
                "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(),
                "--results", ResultsRoot, .. Timings, "--name", name, .. extraArgs]);
            lock (_silos) _silos.Add(silo);
            try
            {
                await silo.WaitReadyAsync(Startup);
                return silo;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && silo.HasExited && silo.Log.Contains(DeclaredDead, StringComparison.Ordinal))
            {
                lock (_silos) _silos.Remove(silo);
                silo.Dispose();
            }
        }
    }

    private const int StartAttempts = 3;

    /// <summary>What Orleans logs when a silo learns that the cluster has declared it dead.</summary>
    private const string DeclaredDead = "I have been told I am dead";

    /// <summary>
    /// Writes a noop spec (63 trials of <paramref name="workMs"/> ms) whose output is a folder under the results root.
    /// With a <paramref name="gate"/>, only <paramref name="gatePasses"/> trials finish until the gate file exists.
    /// <paramref name="model"/> adds noop fields (e.g. <c>optimum_slope: -1</c>), <paramref name="sections"/> whole lines (e.g. a ladder).
    /// </summary>
    public string WriteSpec(string name, int workMs, string? gate = null, int gatePasses = 0, string model = "", string sections = "")
    {
        var gating = (gate is null ? "" : $", gate: '{gate}', gate_passes: {gatePasses}") + (model.Length > 0 ? ", " + model : "");
        var path = Path.Combine(ResultsRoot, name + ".yaml");
        Directory.CreateDirectory(ResultsRoot);
        File.WriteAllText(path, $$"""
            name: {{name}}
            output: {{name}}
            model: { kind: noop, work_ms: {{workMs}}{{gating}} }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            grid:
              width: [64, 128, 256]
              lr: { log2: { from: -10, to: -4, step: 1 } }
              seed: [0, 1, 2]
            transfer: { axis: width, tolerance_log2: 1.0 }
            {{sections}}
            """);
        return path;
    }

    public static IReadOnlySet<string> PlannedKeys(string specPath) =>
        SweepSpecLoader.Load(specPath, SpecMode.Cluster).Expand().Trials.Select(t => t.Key).ToHashSet();

    public string Submit(string specPath)
    {
        var submit = CliProcess.Run(CliProcess.ClientBound, Environment, ["submit", specPath, .. AccessFlags]);
        Assert.True(submit.ExitCode == 0, $"submit failed ({submit.ExitCode}): {submit.Stderr}");
        var id = submit.Stdout.Trim();
        Assert.DoesNotContain('\n', id);
        Assert.NotEmpty(id);
        return id;
    }

    /// <summary>
    /// Polls the sweep's status through an in-test client until <paramref name="done"/> holds. Fails only when the
    /// sweep has shown no progress (its state, a count, a running trial or its step) for <paramref name="stall"/>:
    /// a loaded machine makes a sweep slower, never red; a stuck sweep stays put and fails.
    /// </summary>
    public async Task<SweepStatus> WaitForAsync(string sweepId, Func<SweepStatus, bool> done, TimeSpan stall)
    {
        await using var client = await ClusterClient.ConnectAsync(Redis.Configuration, CancellationToken.None, tls: Tls);
        var seen = "";
        var deadline = DateTime.UtcNow + stall;
        while (true)
        {
            var status = await client.Sweeps.StatusAsync(sweepId);
            if (done(status)) return status;
            var progress = Progress(status);
            if (progress != seen) (seen, deadline) = (progress, DateTime.UtcNow + stall);
            else if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {sweepId}: no progress for {stall.TotalSeconds:0} s: {status.State} {status.Counts}\n{string.Join("\n---\n", _silos.Select(s => s.Log))}");
            await Task.Delay(100);
        }
    }

    private static string Progress(SweepStatus s) =>
        $"{s.State} {s.Counts} {s.Finalized} {string.Join(' ', s.Running.Select(r => $"{r.Key}#{r.Attempt}@{r.Step}"))}";

    public void Dispose()
    {
        foreach (var silo in _silos) silo.Dispose();
        Redis.Dispose();
        try { Directory.Delete(ResultsRoot, recursive: true); }
        catch (IOException) { }
    }
}
