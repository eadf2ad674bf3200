using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;
using ScaleSweep.Cli.Progress;
using ScaleSweep.Hosting;
using ScaleSweep.Training.Commands;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep run SPEC [--out DIR] [--slots N] [--resume] [--reuse DIR] [--json] [--telemetry-console]</c>: the whole sweep in this
/// process (an embedded silo), results in a folder, the transfer verdicts at the end. Progress: a live view on a
/// terminal, plain <c>progress ...</c> lines otherwise (see docs/telemetry.md); OpenTelemetry as the silo does.
/// </summary>
public static class RunCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var command = new Command("run", "Run a sweep on this machine (embedded silo): results folder, then the transfer verdicts.");
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec (YAML file)." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: the spec's output, else results/NAME)." };
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: cores / threads_per_trial)." };
        var resume = new Option<bool>("--resume") { Description = "Keep the results already in the folder and run only the missing trials." };
        var reuse = ReuseFlag.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON document (counts, folder, verdicts) on stdout and nothing else." };
        var console = TelemetryFlags.ConsoleOption();
        command.Arguments.Add(spec);
        command.Options.Add(output);
        command.Options.Add(slots);
        command.Options.Add(resume);
        command.Options.Add(reuse);
        command.Options.Add(json);
        command.Options.Add(console);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(slots),
            parse.GetValue(resume), parse.GetValue(reuse), parse.GetValue(json), TelemetryFlags.Options(parse.GetValue(console), json: parse.GetValue(json)), ct));
        return command;
    }

    private static async Task<int> RunAsync(string specPath, string? output, int? slots, bool resume, string? reuse, bool json, TelemetryOptions telemetry,
        CancellationToken ct)
    {
        // Everything the user can get wrong is checked before a folder or a silo exists.
        var spec = SpecFiles.Load(specPath, SpecMode.Embedded);
        if (slots is < 1) throw new UsageException("--slots: must be at least 1");
        var directory = Path.GetFullPath(output ?? spec.Output ?? Path.Combine("results", spec.Name));
        var plan = spec.Expand();
        plan = plan with { Settings = plan.Settings with { Output = directory } };
        plan = await ReuseFlag.AttachAsync(reuse, plan, directory, ct);
        if (ResultsReader.HasResults(directory) && !resume)
            throw new UsageException($"{directory} already holds results: pass --resume to run only the missing trials, or choose another --out");
        // A damaged folder is refused here (exit 2, naming the file), before the silo could rewrite it.
        if (resume && ResultsReader.HasResults(directory)) await ResultsReader.ReadAsync(directory, ct);
        OutputPaths.Folder(directory, output is null && spec.Output is not null ? "output (in the spec)" : "--out");

        var options = new SiloHostOptions
        {
            ResultsRoot = Directory.GetCurrentDirectory(),
            Slots = slots,
            ThreadsPerTrial = spec.Resources.ThreadsPerTrial,
            Device = DeviceKind.IsCuda(spec.Resources.Device) ? "cuda:0" : "cpu",
            Telemetry = telemetry,
        };
        var watch = Stopwatch.StartNew();
        await using var cluster = await EmbeddedCluster.StartAsync(1, options,
            services => services.AddSingleton<ITrialRunner, TorchTrialRunner>().AddSingleton<IPackRunner, PackedTrialRunner>()
                .AddKeyedSingleton<ITrialRunner, CommandTrialRunner>(ModelKind.Command.Name), LogLevel.Warning, ct);
        var id = SweepClient.NewId(plan.Name);
        var status = await cluster.Sweeps.SubmitAsync(plan, id);
        try
        {
            status = json
                ? await WaitFinalizedAsync(cluster.Sweeps, status, ct)
                : await SweepFollower.FollowAsync(status, () => cluster.Sweeps.StatusAsync(id),
                    new FollowOptions(Poll, PlainEvery, FollowOptions.StdoutIsTerminal), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: cancel the sweep so what finished is stored, then report the interruption. The wait stays
            // within the CLI's termination grace; rows already flushed are on disk either way (run --resume).
            await cluster.Sweeps.CancelAsync(id);
            await WaitFinalizedAsync(cluster.Sweeps, id, TimeSpan.FromSeconds(1.5));
            throw;
        }
        var transfer = SweepText.ReadTransfer(directory);
        if (json) Console.Out.WriteLine(Document(status, plan, directory, watch.Elapsed, transfer).ToJsonString(CliJson.Options));
        else PrintSummary(status, directory, reuse, transfer, watch.Elapsed);
        return status.Analysis?.Error is null ? CliRunner.Ok : CliRunner.RuntimeFailure;
    }

    private static async Task<SweepStatus> WaitFinalizedAsync(SweepClient sweeps, SweepStatus status, CancellationToken ct)
    {
        while (!status.Finalized)
        {
            await Task.Delay(Poll, ct);
            status = await sweeps.StatusAsync(status.Id);
        }
        return status;
    }

    private static async Task WaitFinalizedAsync(SweepClient sweeps, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !(await sweeps.StatusAsync(id)).Finalized) await Task.Delay(Poll);
    }

    private static void PrintSummary(SweepStatus status, string directory, string? reuse, TransferReport? transfer, TimeSpan elapsed)
    {
        Console.Out.WriteLine(SweepText.Counts(status.Counts) + (status.Resumed > 0 ? $"  (resumed {status.Resumed})" : "") + $"  in {SweepText.Duration(elapsed)}");
        if (reuse is not null) Console.Out.WriteLine(ReuseFlag.Summary(status.Reused, status.Counts.Total, reuse));
        if (!status.Stages.IsDefaultOrEmpty) Console.Out.WriteLine($"ladder: {SweepText.Planned(status)}");
        foreach (var (key, error) in status.Errors.Take(5)) Console.Out.WriteLine($"  failed {key}: {error}");
        if (transfer is not null)
        {
            Console.Out.WriteLine("transfer of the optimal learning rate (scale:log2 η*):");
            foreach (var line in SweepText.VerdictLines(transfer)) Console.Out.WriteLine(line);
        }
        if (status.Analysis?.Error is { } analysisError) Console.Error.WriteLine($"error: analysis failed: {analysisError}");
        Console.Out.WriteLine($"results in {directory}");
    }

    private static JsonObject Document(SweepStatus status, SweepPlan plan, string directory, TimeSpan elapsed, TransferReport? transfer)
    {
        var document = SweepText.StatusJson(status);
        document["name"] = plan.Name;
        document["results_dir"] = directory;
        document["resumed"] = status.Resumed;
        document["reused"] = status.Reused;
        document["retries"] = status.Retries;
        document["duplicates_dropped"] = status.DuplicatesDropped;
        document["wall_seconds"] = Math.Round(elapsed.TotalSeconds, 3);
        document["files"] = new JsonArray([.. (status.Analysis?.Files ?? []).Select(f => JsonValue.Create(f))]);
        document["analysis_error"] = status.Analysis?.Error;
        document["transfer"] = transfer is null ? null : JsonSerializer.SerializeToNode(transfer.Results, TransferFiles.JsonOptions);
        return document;
    }
}
