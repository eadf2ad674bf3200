using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Workers;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary>One measured configuration of the orchestration benchmark.</summary>
public sealed record OrchestrationSample(
    int Silos,
    int SlotsPerSilo,
    int WorkMs,
    int Trials,
    double WallSeconds,
    double IdealSeconds,
    double TrialsPerSecond,
    double OverheadMsPerTrial,
    double TrialMs,
    double DispatchOverheadMsPerTrial,
    double LeaseP50Ms,
    double LeaseP99Ms,
    double FinalizeSeconds,
    double SubmitSeconds);

/// <summary>
/// Noop sweeps on embedded silos in this process: wall time from submission until every trial is final, against the
/// ideal trials × work / slots. Per-trial overhead = (wall − ideal) × slots / trials. The dispatch overhead is the
/// steady state: wall from the end of the submission (the plan's one-off transfer and storage), against the time the
/// runners really took (a 20 ms sleep takes ~20.5 ms on Linux) instead of the nominal work.
/// </summary>
internal static class OrchestrationBench
{
    public static async Task<OrchestrationSample> MeasureAsync(int silos, int slots, int prefetch, int workMs, int trials, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "scalesweep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SiloHostOptions { ResultsRoot = root, Slots = slots, Prefetch = prefetch };
        try
        {
            await using var cluster = await EmbeddedCluster.StartAsync(silos, options, null, LogLevel.Error, ct);
            // Warm-up: JIT, grain activations and connections between silos are not what is being measured.
            await RunSweepAsync(cluster, Plan("warmup", Math.Min(500, trials), 0), ct);
            var metrics = cluster.Silos.Select(s => s.Services.GetRequiredService<WorkerMetrics>()).ToArray();
            foreach (var m in metrics) m.Reset();

            var (wall, finalize, submit) = await RunSweepAsync(cluster, Plan("bench", trials, workMs), ct);
            var totalSlots = silos * slots;
            var ideal = trials * workMs / 1000.0 / totalSlots;
            var latencies = metrics.SelectMany(m => m.LeaseLatenciesMs()).Order().ToArray();
            var trialMs = metrics.Sum(m => m.TrialTime.TotalMilliseconds) / Math.Max(1, metrics.Sum(m => m.TrialsRun));
            var measuredIdeal = trials * trialMs / 1000.0 / totalSlots;
            return new OrchestrationSample(silos, slots, workMs, trials, wall, ideal, trials / wall,
                (wall - ideal) * 1000.0 * totalSlots / trials, trialMs, (wall - submit - measuredIdeal) * 1000.0 * totalSlots / trials,
                Percentile(latencies, 0.50), Percentile(latencies, 0.99), finalize, submit);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Seconds until every trial is final (submission included), then until the results are finalized, and the submission alone.</summary>
    private static async Task<(double Wall, double Finalize, double Submit)> RunSweepAsync(EmbeddedCluster cluster, SweepPlan plan, CancellationToken ct)
    {
        var id = SweepClient.NewId(plan.Name);
        var watch = Stopwatch.StartNew();
        var status = await cluster.Sweeps.SubmitAsync(plan, id);
        var submit = watch.Elapsed.TotalSeconds;
        while (status.Counts.Final < status.Counts.Total)
        {
            await Task.Delay(10, ct);
            status = await cluster.Sweeps.StatusAsync(id);
        }
        var wall = watch.Elapsed.TotalSeconds;
        while (!status.Finalized)
        {
            await Task.Delay(20, ct);
            status = await cluster.Sweeps.StatusAsync(id);
        }
        if (status.Counts.Completed != plan.Trials.Length)
            throw new InvalidOperationException($"benchmark sweep ended with {status.Counts}");
        return (wall, watch.Elapsed.TotalSeconds - wall, submit);
    }

    private static SweepPlan Plan(string name, int trials, int workMs)
    {
        var list = Enumerable.Range(0, trials).Select(seed =>
        {
            var spec = new TrialSpec("sp", new ModelConfig("noop", 64, 2) { WorkMs = workMs }, new DataConfig("synthetic"),
                new OptimConfig("adam", 1.0 / 256, Steps: 1, Batch: 1), new BaseShape(64, 2), seed, ParameterizationOptions.Default);
            return new PlannedTrial(TrialKey.For(spec), spec);
        }).ToImmutableArray();
        return new SweepPlan(name, list, new SweepSettings(1, new TransferSettings("width", 1.0)) { SweptKeys = ["seed"] });
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
}
