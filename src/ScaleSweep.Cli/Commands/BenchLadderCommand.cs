using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;
using ScaleSweep.Hosting;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep bench-ladder [SPEC]</c>: the same spec as a full grid and as a ladder, one after the other in one
/// embedded silo, compared side by side: trial-seconds (the sum of the trials' wall time: the compute a sweep
/// costs whatever the slot count) and their ratio, η* per scale and the largest difference, both verdicts and the
/// hold-out penalty. Targets (the quickstart): ratio ≤ 0.5, every η* within 0.5 log2, the same verdicts.
/// Prints the figures; never fails on them.
/// </summary>
public static class BenchLadderCommand
{
    private const double TargetRatio = 0.5;
    private const double TargetLog2Difference = 0.5;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var command = new Command("bench-ladder",
            "Benchmark: a spec as a full grid and as a ladder in one process: trial-seconds of each and their ratio (target ≤ 0.5), " +
            "η* per scale of both and the largest difference (target ≤ 0.5 log2), both verdicts, the hold-out penalty.");
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec; its ladder section (or the default ladder) is the ladder side.", DefaultValueFactory = _ => "sweeps/quickstart.yaml" };
        var output = new Option<string?>("--out") { Description = "Folder for the two results folders (grid/, ladder/); default: a new temporary folder." };
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: cores / threads_per_trial)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        command.Arguments.Add(spec);
        foreach (var option in new Option[] { output, slots, json }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = SpecFiles.Load(parse.GetValue(spec)!, SpecMode.Embedded);
            if (parse.GetValue(slots) is < 1) throw new UsageException("--slots: must be at least 1");
            var root = parse.GetValue(output) is { } chosen ? Path.GetFullPath(chosen) : Directory.CreateTempSubdirectory("scalesweep-bench-ladder-").FullName;
            foreach (var side in new[] { "grid", "ladder" })
            {
                if (ResultsReader.HasResults(Path.Combine(root, side))) throw new UsageException($"--out: {Path.Combine(root, side)} already holds results; choose another folder");
                OutputPaths.Folder(Path.Combine(root, side), "--out");
            }
            var asJson = parse.GetValue(json);
            var options = new SiloHostOptions
            {
                ResultsRoot = root,
                Slots = parse.GetValue(slots),
                ThreadsPerTrial = loaded.Resources.ThreadsPerTrial,
                Device = DeviceKind.IsCuda(loaded.Resources.Device) ? "cuda:0" : "cpu",
            };
            await using var cluster = await EmbeddedCluster.StartAsync(1, options,
                services => services.AddSingleton<ITrialRunner, TorchTrialRunner>().AddSingleton<IPackRunner, PackedTrialRunner>(), LogLevel.Warning, ct);
            var grid = await RunAsync(cluster, loaded with { Ladder = null }, Path.Combine(root, "grid"), asJson, ct);
            var ladder = await RunAsync(cluster, loaded with { Ladder = loaded.Ladder ?? new LadderSettings() }, Path.Combine(root, "ladder"), asJson, ct);
            var comparison = LadderComparison.Of(grid, ladder);
            if (asJson) Console.Out.WriteLine(CliJson.ToNode(comparison).ToJsonString(CliJson.Options));
            else foreach (var line in Lines(comparison)) Console.Out.WriteLine(line);
            return CliRunner.Ok;
        });
        return command;
    }

    private static async Task<StrategyRun> RunAsync(EmbeddedCluster cluster, SweepSpec spec, string directory, bool quiet, CancellationToken ct)
    {
        var plan = spec.Expand();
        plan = plan with { Settings = plan.Settings with { Output = directory } };
        var status = await cluster.Sweeps.SubmitAsync(plan);
        var strategy = plan.Settings.Ladder is null ? "grid" : "ladder";
        while (!status.Finalized)
        {
            await Task.Delay(Poll, ct);
            status = await cluster.Sweeps.StatusAsync(status.Id);
        }
        if (status.Analysis?.Error is { } error) throw new InvalidOperationException($"{strategy}: analysis failed: {error}");
        var rows = (await ResultsReader.ReadAsync(directory, ct)).Trials;
        var transfer = SweepText.ReadTransfer(directory) ?? throw new InvalidOperationException($"{strategy}: no transfer.json in {directory}");
        if (!quiet) Console.Out.WriteLine($"{strategy}: {rows.Length} trials of {plan.Trials.Length} in the grid, results in {directory}");
        return new StrategyRun(strategy, rows.Length, rows.Sum(r => r.WallSeconds), transfer)
        {
            SecondsByKey = rows.ToDictionary(r => r.TrialKey, r => (r.WallSeconds, r.Status == TrialStatus.Pruned)),
        };
    }

    private static IEnumerable<string> Lines(LadderComparison c)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return string.Create(inv, $"grid:   {c.Grid.Trials,5} trials  {c.Grid.TrialSeconds,9:0.0} trial-seconds");
        yield return string.Create(inv, $"ladder: {c.Ladder.Trials,5} trials  {c.Ladder.TrialSeconds,9:0.0} trial-seconds  ratio {c.Ratio:0.000} (target ≤ {TargetRatio})");
        yield return string.Create(inv, $"ladder priced at the grid run's seconds for the same trials: ratio {c.PricedRatio:0.000} (what the load of each run cannot move)");
        foreach (var p in c.Parameterizations)
        {
            var scales = string.Join("  ", p.Points.Select(x => string.Create(inv, $"{x.Scale:G}: {x.Grid:0.00}/{(x.Ladder is { } l ? l.ToString("0.00", inv) : "n/a")}")));
            yield return $"{p.Parameterization} η* grid/ladder (log2)  {scales}";
            yield return string.Create(inv, $"{p.Parameterization} verdict grid {p.GridVerdict}, ladder {p.LadderVerdict}; hold-out penalty grid {Percent(p.GridHoldoutPenalty)}, ladder {Percent(p.LadderHoldoutPenalty)}");
        }
        yield return string.Create(inv, $"largest η* difference {c.LargestDifference:0.00} log2 (target ≤ {TargetLog2Difference}); verdicts {(c.SameVerdicts ? "agree" : "differ")}");
    }

    private static string Percent(double? relative) => relative is { } v ? v.ToString("0.00%", CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>One side of the benchmark: the rows it ran, their summed wall time, its transfer report.</summary>
internal sealed record StrategyRun(string Strategy, int Trials, double TrialSeconds, TransferReport Transfer)
{
    /// <summary>Wall seconds of each row, and whether it was pruned (then it ran only to its rung).</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, (double Seconds, bool Pruned)> SecondsByKey { get; init; } = new Dictionary<string, (double, bool)>();
}

/// <summary>η* of one scale under both strategies (log2; null where the ladder has no optimum there).</summary>
internal sealed record ScaleOptimum(double Scale, double Grid, double? Ladder);

internal sealed record ParameterizationComparison(
    string Parameterization, IReadOnlyList<ScaleOptimum> Points, string GridVerdict, string LadderVerdict,
    double? GridHoldoutPenalty, double? LadderHoldoutPenalty);

/// <summary>The benchmark's figures: what the ladder saved and what it changed.</summary>
/// <remarks>
/// <see cref="PricedRatio"/> prices every ladder trial at the grid run's wall time for the same key (a pruned one at
/// its own rung time): both runs train the same trials, so this ratio does not depend on how loaded the machine was
/// during each run. Neither ratio counts the rung legs of kept trials, which no row records.
/// </remarks>
internal sealed record LadderComparison(
    StrategyRun Grid, StrategyRun Ladder, double Ratio, double PricedRatio, IReadOnlyList<ParameterizationComparison> Parameterizations,
    double LargestDifference, bool SameVerdicts)
{
    public static LadderComparison Of(StrategyRun grid, StrategyRun ladder)
    {
        var comparisons = grid.Transfer.Results.Select(g =>
        {
            var l = ladder.Transfer.Results.FirstOrDefault(r => r.Parameterization == g.Parameterization && r.Axis == g.Axis);
            var points = g.Points.Select(p => new ScaleOptimum(p.Scale, p.Log2LrOpt,
                l?.Points.FirstOrDefault(q => q.Scale == p.Scale)?.Log2LrOpt)).ToArray();
            return new ParameterizationComparison(g.Parameterization, points, g.Verdict, l?.Verdict ?? "missing",
                g.Holdout?.LossPenaltyRel, l?.Holdout?.LossPenaltyRel);
        }).ToArray();
        // A scale the ladder found no optimum at counts as a verdict difference (the ladder runs every scale).
        var differences = comparisons.SelectMany(c => c.Points).Where(p => p.Ladder is not null).Select(p => Math.Abs(p.Ladder!.Value - p.Grid)).ToArray();
        var priced = ladder.SecondsByKey.Sum(r => r.Value.Pruned || !grid.SecondsByKey.TryGetValue(r.Key, out var g) ? r.Value.Seconds : g.Seconds);
        return new LadderComparison(grid, ladder, ladder.TrialSeconds / grid.TrialSeconds, priced / grid.TrialSeconds, comparisons,
            differences.Length == 0 ? 0 : differences.Max(), comparisons.All(c => c.GridVerdict == c.LadderVerdict && c.Points.All(p => p.Ladder is not null)));
    }
}
