using System.CommandLine;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Cli.Progress;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep status ID --redis H:P [--json]</c>.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show a sweep's trial counts, running trials and errors.");
        var id = ClusterAccess.SweepIdArgument();
        var cluster = new ClusterFlags();
        var json = new Option<bool>("--json") { Description = "Print {\"id\",\"state\",\"total\",\"pending\",\"running\",\"completed\",\"diverged\",\"failed\",\"cancelled\",\"host\"} (host: the silo holding the sweep), plus \"results_error\" while results cannot be written." };
        command.Arguments.Add(id);
        cluster.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await ClusterAccess.ConnectAsync(cluster.Read(parse), ct);
            var status = await ClusterAccess.RequireStatusAsync(client.Sweeps, parse.GetValue(id)!);
            if (parse.GetValue(json)) Console.Out.WriteLine(SweepText.StatusJson(status).ToJsonString());
            else Print(status);
            return CliRunner.Ok;
        });
        return command;
    }

    private static void Print(SweepStatus s)
    {
        Console.Out.WriteLine($"{s.Id} ({s.Name}): {SweepText.StateName(s.State)}{(s.Finalized ? ", results finalized" : "")}{(s.Host is null ? "" : $", hosted on {s.Host}")}");
        Console.Out.WriteLine("  " + SweepText.Counts(s.Counts));
        if (!s.Stages.IsDefaultOrEmpty) Console.Out.WriteLine($"  {SweepText.Planned(s)}; {string.Join("; ", s.Stages.Select(SweepText.Stage))}");
        Console.Out.WriteLine($"  retries {s.Retries}, duplicates dropped {s.DuplicatesDropped}, resumed {s.Resumed}, reused {s.Reused}");
        if (s.ResultsError is { } stuck) Console.Out.WriteLine("  " + SweepText.ResultsError(stuck));
        foreach (var r in s.Running)
        {
            var loss = r.TrainLoss is { } l ? $" loss {l:0.0000}" : "";
            var previous = r.PreviousError is { } why ? $"; attempt {r.Attempt - 1} ended: {why}" : "";
            Console.Out.WriteLine($"  running {r.Key} on {r.Worker} (attempt {r.Attempt}{previous}) step {r.Step}/{r.TotalSteps}{loss}");
        }
        var labelled = s.Best.Select(b => b.Parameterization).Distinct().Count() > 1;
        foreach (var b in s.Best)
            Console.Out.WriteLine($"  best {ProgressText.ScaleLabel(b, labelled)}: loss {ProgressText.Loss(b.Loss)} at lr {ProgressText.Lr(b.Lr)}");
        foreach (var (key, error) in s.Errors) Console.Out.WriteLine($"  failed {key}: {error}");
        if (s.Analysis is { } a) Console.Out.WriteLine($"  results in {a.Directory}{(a.Error is null ? "" : $" (analysis failed: {a.Error})")}");
    }
}
