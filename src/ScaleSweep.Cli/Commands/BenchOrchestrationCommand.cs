using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep bench-orchestration</c>: orchestration overhead of noop sweeps on 1 and 3 in-process silos.
/// Targets: ≤ 1 ms overhead per trial, ≥ 5,000 trials/s with zero-work trials. Prints the ratios, never fails on them.
/// </summary>
public static class BenchOrchestrationCommand
{
    private const double TargetOverheadMs = 1.0;
    private const double TargetTrialsPerSecond = 5000;

    public static Command Create()
    {
        var command = new Command("bench-orchestration",
            "Benchmark the orchestrator with noop sweeps: trials/s, overhead per trial = (wall − ideal) × slots / trials, " +
            "p50/p99 lease latency (targets: ≤ 1 ms per trial, ≥ 5,000 trials/s at 0 ms).");
        var trials = new Option<int>("--trials") { Description = "Trials per sweep.", DefaultValueFactory = _ => 5000 };
        var work = new Option<string>("--work-ms") { Description = "Work per noop trial (ms), comma-separated.", DefaultValueFactory = _ => "0,20" };
        var silos = new Option<string>("--silos") { Description = "Silo counts, comma-separated.", DefaultValueFactory = _ => "1,3" };
        // Totals, split evenly across the silos, so that 1 and 3 silos are compared at the same capacity.
        var slots = new Option<int>("--slots") { Description = "Trial slots in all, for trials that do work.", DefaultValueFactory = _ => 32 };
        // Zero-work trials measure the dispatch rate; idle slots would only inflate (wall − ideal) × slots.
        var zeroSlots = new Option<int>("--zero-work-slots") { Description = "Trial slots in all, for 0 ms trials.", DefaultValueFactory = _ => 4 };
        var prefetch = new Option<int?>("--prefetch") { Description = "Leases fetched ahead per silo (default: its slot count)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        foreach (var option in new Option[] { trials, work, silos, slots, zeroSlots, prefetch, json }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(trials);
            if (count < 1) throw new UsageException("--trials: must be at least 1");
            var perSilo = parse.GetValue(slots);
            var zeroPerSilo = parse.GetValue(zeroSlots);
            if (perSilo < 1 || zeroPerSilo < 1) throw new UsageException("--slots, --zero-work-slots: must be at least 1");
            if (parse.GetValue(prefetch) is < 0) throw new UsageException("--prefetch: must be 0 or more");
            var works = Ints(parse.GetValue(work)!, "--work-ms", min: 0);
            var siloCounts = Ints(parse.GetValue(silos)!, "--silos", min: 1);
            var asJson = parse.GetValue(json);

            var samples = new List<OrchestrationSample>();
            if (!asJson) Console.Out.WriteLine("silos slots work_ms trials   wall_s  ideal_s  trials/s  overhead_ms/trial  trial_ms  dispatch_ms/trial  lease_p50_ms  lease_p99_ms  finalize_s  submit_s");
            foreach (var s in siloCounts)
            {
                foreach (var w in works)
                {
                    var slotCount = (int)Math.Ceiling((double)(w == 0 ? zeroPerSilo : perSilo) / s);
                    var sample = await OrchestrationBench.MeasureAsync(s, slotCount, parse.GetValue(prefetch) ?? slotCount, w, count, ct);
                    samples.Add(sample);
                    if (!asJson) Console.Out.WriteLine(Row(sample));
                }
            }
            if (asJson) Console.Out.WriteLine(Document(samples).ToJsonString(CliJson.Options));
            else foreach (var line in Verdicts(samples)) Console.Out.WriteLine(line);
            return CliRunner.Ok;
        });
        return command;
    }

    private static string Row(OrchestrationSample s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Silos,5} {s.SlotsPerSilo,5} {s.WorkMs,7} {s.Trials,6} {s.WallSeconds,8:0.000} {s.IdealSeconds,8:0.000} {s.TrialsPerSecond,9:0} {s.OverheadMsPerTrial,18:0.000} {s.TrialMs,9:0.000} {s.DispatchOverheadMsPerTrial,18:0.000} {s.LeaseP50Ms,13:0.000} {s.LeaseP99Ms,13:0.000} {s.FinalizeSeconds,11:0.00} {s.SubmitSeconds,9:0.000}");

    private static IEnumerable<string> Verdicts(List<OrchestrationSample> samples)
    {
        var worstOverhead = samples.Max(s => s.OverheadMsPerTrial);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"overhead per trial: worst {worstOverhead:0.000} ms, target ≤ {TargetOverheadMs} ms (ratio {worstOverhead / TargetOverheadMs:0.00})");
        var zero = samples.Where(s => s.WorkMs == 0).ToArray();
        if (zero.Length > 0)
        {
            var best = zero.Max(s => s.TrialsPerSecond);
            var worst = zero.Min(s => s.TrialsPerSecond);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"zero-work throughput: {worst:0} to {best:0} trials/s, target ≥ {TargetTrialsPerSecond:0} (ratio of the slowest {worst / TargetTrialsPerSecond:0.00})");
        }
    }

    private static JsonObject Document(List<OrchestrationSample> samples) => new()
    {
        ["samples"] = CliJson.ToNode(samples),
        ["target_overhead_ms_per_trial"] = TargetOverheadMs,
        ["target_trials_per_second"] = TargetTrialsPerSecond,
        ["worst_overhead_ms_per_trial"] = samples.Max(s => s.OverheadMsPerTrial),
        ["slowest_zero_work_trials_per_second"] = samples.Where(s => s.WorkMs == 0).Select(s => (double?)s.TrialsPerSecond).Min(),
    };

    private static int[] Ints(string text, string option, int min) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v =>
            int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new UsageException($"{option}: '{v}' is not an integer ≥ {min}"))];
}
