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
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;
using ScaleSweep.Hosting;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep run SPEC [--out DIR] [--slots N] [--resume] [--json]</c>: the whole sweep in this process (an embedded
/// silo), results in a folder, the transfer verdicts at the end.
/// </summary>
public static class RunCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var command = new Command("run", "Run a sweep on this machine (embedded silo): results folder, then the transfer verdicts.");
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec (YAML file)." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: the spec's output, else results/NAME)." };
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: cores / threads_per_trial)." };
        var resume = new Option<bool>("--resume") { Description = "Keep the results already in the folder and run only the missing trials." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (counts, folder, verdicts) on stdout and nothing else." };
        command.Arguments.Add(spec);
        command.Options.Add(output);
        command.Options.Add(slots);
        command.Options.Add(resume);
        command.Options.Add(json);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(slots),
            parse.GetValue(resume), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string specPath, string? output, int? slots, bool resume, bool json, CancellationToken ct)
    {
        // Everything the user can get wrong is checked before a folder or a silo exists.
        var spec = SpecFiles.Load(specPath, SpecMode.Embedded);
        if (slots is < 1) throw new UsageException("--slots: must be at least 1");
        var directory = Path.GetFullPath(output ?? spec.Output ?? Path.Combine("results", spec.Name));
        if (ResultsReader.HasResults(directory) && !resume)
            throw new UsageException($"{directory} already holds results: pass --resume to run only the missing trials, or choose another --out");
        var plan = spec.Expand();
        plan = plan with { Settings = plan.Settings with { Output = directory } };

        var options = new SiloHostOptions
        {
            ResultsRoot = Directory.GetCurrentDirectory(),
            Slots = slots,
            ThreadsPerTrial = spec.Resources.ThreadsPerTrial,
            Device = DeviceKinds.IsCuda(spec.Resources.Device) ? "cuda:0" : "cpu",
        };
        var watch = Stopwatch.StartNew();
        await using var cluster = await EmbeddedCluster.StartAsync(1, options,
            services => services.AddSingleton<ITrialRunner, TorchTrialRunner>(), LogLevel.Warning, ct);
        var id = SweepClient.NewId(plan.Name);
        var status = await cluster.Sweeps.SubmitAsync(plan, id);
        var progress = json ? null : new ProgressPrinter();
        try
        {
            while (!status.Finalized)
            {
                progress?.Show(status, watch.Elapsed);
                await Task.Delay(Poll, ct);
                status = await cluster.Sweeps.StatusAsync(id);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: cancel the sweep so what finished is stored, then report the interruption. The wait stays
            // within the CLI's termination grace; rows already flushed are on disk either way (run --resume).
            await cluster.Sweeps.CancelAsync(id);
            await WaitFinalizedAsync(cluster.Sweeps, id, TimeSpan.FromSeconds(1.5));
            throw;
        }
        progress?.Done(status, watch.Elapsed);

        var transfer = SweepText.ReadTransfer(directory);
        if (json) Console.Out.WriteLine(Document(status, plan, directory, watch.Elapsed, transfer).ToJsonString(CliJson.Options));
        else PrintSummary(status, directory, transfer);
        return status.Analysis?.Error is null ? CliRunner.Ok : CliRunner.RuntimeFailure;
    }

    private static async Task WaitFinalizedAsync(SweepClient sweeps, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !(await sweeps.StatusAsync(id)).Finalized) await Task.Delay(Poll);
    }

    private static void PrintSummary(SweepStatus status, string directory, TransferReport? transfer)
    {
        Console.Out.WriteLine(SweepText.Counts(status.Counts) + (status.Resumed > 0 ? $"  (resumed {status.Resumed})" : ""));
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
        document["retries"] = status.Retries;
        document["duplicates_dropped"] = status.DuplicatesDropped;
        document["wall_seconds"] = Math.Round(elapsed.TotalSeconds, 3);
        document["files"] = new JsonArray([.. (status.Analysis?.Files ?? []).Select(f => JsonValue.Create(f))]);
        document["analysis_error"] = status.Analysis?.Error;
        document["transfer"] = transfer is null ? null : JsonSerializer.SerializeToNode(transfer.Results, TransferFiles.JsonOptions);
        return document;
    }
}

/// <summary>Progress on stdout: one line rewritten in place on a terminal, a plain line every few seconds otherwise.</summary>
internal sealed class ProgressPrinter
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);
    private readonly bool _terminal = !Console.IsOutputRedirected;
    private TimeSpan? _lastPlain;
    private string _last = "";

    public void Show(SweepStatus status, TimeSpan elapsed)
    {
        var line = SweepText.ProgressLine(status, elapsed);
        if (_terminal)
        {
            Console.Out.Write("\r" + line.PadRight(_last.Length));
            _last = line;
        }
        else if ((_lastPlain is not { } last || elapsed - last >= PlainEvery) && line != _last)
        {
            Console.Out.WriteLine(line);
            _lastPlain = elapsed;
            _last = line;
        }
    }

    public void Done(SweepStatus status, TimeSpan elapsed)
    {
        var line = SweepText.ProgressLine(status, elapsed) + $" in {SweepText.Duration(elapsed)}";
        Console.Out.WriteLine(_terminal ? "\r" + line.PadRight(_last.Length) : line);
    }
}
