using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Telemetry;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Telemetry;
using ScaleSweep.Hosting;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep bench-telemetry</c>: does telemetry slow training? The same short real sweep (tiny MLPs on synthetic
/// data through an embedded silo) with no OpenTelemetry SDK, and with the full pipeline (ScaleSweep, Orleans and
/// runtime meters, ScaleSweep and Orleans sources) feeding in-memory exporters; runs alternate, medians compared.
/// Wall time is what a user waits; the process's CPU time is the steadier measure on a shared machine. Also the cost of
/// one per-step counter update with a listener attached. Prints the ratios, never fails on them.
/// </summary>
public static class BenchTelemetryCommand
{
    private const int StepCalls = 2_000_000;

    public static Command Create()
    {
        var command = new Command("bench-telemetry",
            "Benchmark telemetry overhead: the same short training sweep with and without OpenTelemetry (in-memory exporters); prints the wall-time ratio.");
        var steps = new Option<int>("--steps") { Description = "Training steps per trial.", DefaultValueFactory = _ => 4000 };
        var repeats = new Option<int>("--repeats") { Description = "Measured runs of each configuration (alternating).", DefaultValueFactory = _ => 3 };
        var slots = new Option<int?>("--slots") { Description = "Trial slots (default: cores)." };
        var scalesweepOnly = new Option<bool>("--scalesweep-only") { Description = "Telemetry on = ScaleSweep's meter and source only (no Orleans or runtime instrumentation)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        foreach (var option in new Option[] { steps, repeats, slots, scalesweepOnly, json }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var stepCount = parse.GetValue(steps);
            var runs = parse.GetValue(repeats);
            if (stepCount < 1 || runs < 1) throw new UsageException("--steps, --repeats: must be at least 1");
            if (parse.GetValue(slots) is < 1) throw new UsageException("--slots: must be at least 1");
            var bench = new Bench(Plan(stepCount), parse.GetValue(slots), !parse.GetValue(scalesweepOnly));
            var asJson = parse.GetValue(json);
            void Say(FormattableString line) { if (!asJson) Console.Out.WriteLine(line.ToString(CultureInfo.InvariantCulture)); }

            Say($"sweep: {bench.Plan.Trials.Length} mlp trials on synthetic data, {stepCount} steps each; one warm-up run of each configuration first");
            // Warm-ups: TorchSharp, the JIT and the SDK's own code paths are not what is measured.
            await bench.RunAsync(null, ct);
            await bench.RunAsync(new InMemorySink(), ct);
            var off = new List<Timing>();
            var on = new List<Timing>();
            var sink = new InMemorySink();
            for (var i = 0; i < 2 * runs; i++)
            {
                // Alternate which configuration goes first, so drift (other load, caches) hits both alike.
                if ((i % 2 == 0) == (i / 2 % 2 == 0))
                {
                    off.Add(await bench.RunAsync(null, ct));
                    Say($"  run {i / 2 + 1}: telemetry off {off[^1].Wall:0.000} s wall, {off[^1].Cpu:0.000} s cpu");
                    continue;
                }
                sink = new InMemorySink();
                on.Add(await bench.RunAsync(sink, ct));
                Say($"  run {i / 2 + 1}: telemetry on  {on[^1].Wall:0.000} s wall, {on[^1].Cpu:0.000} s cpu ({sink.Spans.Count} spans, {sink.Points.Count} metric snapshots exported)");
            }
            var (stepNs, stepBytes) = MeasureStepUpdate();
            var wallRatio = Median(on, t => t.Wall) / Median(off, t => t.Wall);
            var cpuRatio = Median(on, t => t.Cpu) / Median(off, t => t.Cpu);
            if (asJson)
            {
                Console.Out.WriteLine(new JsonObject
                {
                    ["trials"] = bench.Plan.Trials.Length,
                    ["steps_per_trial"] = stepCount,
                    ["orleans_instrumentation"] = bench.IncludeOrleans,
                    ["wall_seconds_off"] = new JsonArray([.. off.Select(t => JsonValue.Create(t.Wall))]),
                    ["wall_seconds_on"] = new JsonArray([.. on.Select(t => JsonValue.Create(t.Wall))]),
                    ["cpu_seconds_off"] = new JsonArray([.. off.Select(t => JsonValue.Create(t.Cpu))]),
                    ["cpu_seconds_on"] = new JsonArray([.. on.Select(t => JsonValue.Create(t.Cpu))]),
                    ["median_wall_ratio_on_off"] = wallRatio,
                    ["median_cpu_ratio_on_off"] = cpuRatio,
                    ["spans_exported_last_run"] = sink.Spans.Count,
                    ["step_update_ns"] = stepNs,
                    ["step_update_bytes_allocated"] = stepBytes,
                    ["step_update_calls"] = StepCalls,
                }.ToJsonString(CliJson.Options));
                return CliRunner.Ok;
            }
            Say($"median wall: off {Median(off, t => t.Wall):0.000} s, on {Median(on, t => t.Wall):0.000} s; ratio on/off {wallRatio:0.000}");
            Say($"median cpu:  off {Median(off, t => t.Cpu):0.000} s, on {Median(on, t => t.Cpu):0.000} s; ratio on/off {cpuRatio:0.000}");
            Say($"per-step counter update (steps + samples, listener attached): {stepNs:0.0} ns, {stepBytes} bytes allocated in {StepCalls:N0} calls");
            return CliRunner.Ok;
        });
        return command;
    }

    /// <summary>Seconds from submission until every trial is final, and the process CPU seconds spent meanwhile.</summary>
    private readonly record struct Timing(double Wall, double Cpu);

    private sealed record Bench(SweepPlan Plan, int? Slots, bool IncludeOrleans)
    {
        /// <summary>One sweep on a fresh embedded silo, with <paramref name="sink"/>'s exporters or no telemetry at all.</summary>
        public async Task<Timing> RunAsync(InMemorySink? sink, CancellationToken ct)
        {
            var root = Path.Combine(Path.GetTempPath(), "scalesweep-bench-telemetry-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var options = new SiloHostOptions { ResultsRoot = root, Slots = Slots, Telemetry = sink?.Options(IncludeOrleans) };
                await using var cluster = await EmbeddedCluster.StartAsync(1, options,
                    services => services.AddSingleton<ITrialRunner, TorchTrialRunner>(), LogLevel.Error, ct);
                using var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var status = await cluster.Sweeps.SubmitAsync(Plan);
                while (status.Counts.Final < status.Counts.Total)
                {
                    await Task.Delay(20, ct);
                    status = await cluster.Sweeps.StatusAsync(status.Id);
                }
                var wall = watch.Elapsed.TotalSeconds;
                process.Refresh();
                var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                if (status.Counts.Completed + status.Counts.Diverged != Plan.Trials.Length)
                    throw new InvalidOperationException($"benchmark sweep ended with {status.Counts}");
                while (!status.Finalized)
                {
                    await Task.Delay(50, ct);
                    status = await cluster.Sweeps.StatusAsync(status.Id);
                }
                return new Timing(wall, cpuSeconds);
            }
            finally
            {
                try { Directory.Delete(root, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    /// <summary>What the worker does per progress report, timed with a meter provider listening: nanoseconds per call and bytes in all.</summary>
    private static (double Ns, long Bytes) MeasureStepUpdate()
    {
        var points = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(TelemetryNames.Meter).AddInMemoryExporter(points).Build();
        for (var i = 0; i < 10_000; i++) SweepInstruments.RecordTraining(1, 32);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < StepCalls; i++) SweepInstruments.RecordTraining(1, 32);
        var elapsed = watch.Elapsed;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return (elapsed.TotalNanoseconds / StepCalls, bytes);
    }

    private static SweepPlan Plan(int steps) => SweepSpecLoader.Parse($$"""
        name: bench-telemetry
        model: { kind: mlp, depth: 2, activation: relu }
        data: { kind: synthetic }
        train: { optimizer: adam, steps: {{steps}}, batch: 64, eval_every: {{steps}}, log_every: 10 }
        parameterizations: [mup]
        base: { width: 64, depth: 2 }
        grid:
          width: [64, 128]
          lr: { log2: { from: -10, to: -7, step: 1 } }
        transfer: { axis: width, tolerance_log2: 1.0 }
        resources: { device: cpu, threads_per_trial: 1, max_attempts: 1 }
        """, "bench-telemetry").Expand();

    private static double Median(List<Timing> values, Func<Timing, double> of)
    {
        var sorted = values.Select(of).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>In-memory exporters for one measured run: every span and metric point the pipeline produces lands here.</summary>
    private sealed class InMemorySink
    {
        public List<Activity> Spans { get; } = [];

        public List<MetricSnapshot> Points { get; } = [];

        public TelemetryOptions Options(bool includeOrleans = true) => new()
        {
            IncludeOrleans = includeOrleans,
            ConfigureTracing = tracing => tracing.AddInMemoryExporter(Spans),
            ConfigureMetrics = metrics => metrics.AddInMemoryExporter(Points, reader =>
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1000),
        };
    }
}
