using System.CommandLine;
using System.Diagnostics;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep watch ID --redis H:P</c>: follows a sweep until its results are finalized.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Follow a sweep's progress until it finishes (plain periodic lines when stdout is not a terminal).");
        var id = ClusterAccess.SweepIdArgument();
        var redis = ClusterAccess.RedisOption();
        var interval = new Option<double>("--interval") { Description = "Seconds between updates.", DefaultValueFactory = _ => 2 };
        command.Arguments.Add(id);
        command.Options.Add(redis);
        command.Options.Add(interval);
        command.SetAction(async (parse, ct) =>
        {
            var every = parse.GetValue(interval);
            if (!(every > 0)) throw new UsageException("--interval: must be a positive number of seconds");
            await using var client = await ClusterAccess.ConnectAsync(parse.GetValue(redis), ct);
            var sweepId = parse.GetValue(id)!;
            var status = await ClusterAccess.RequireStatusAsync(client.Sweeps, sweepId);
            var terminal = !Console.IsOutputRedirected;
            var watch = Stopwatch.StartNew();
            var width = 0;
            while (!status.Finalized)
            {
                var line = SweepText.ProgressLine(status, watch.Elapsed);
                if (terminal)
                {
                    Console.Out.Write("\r" + line.PadRight(width));
                    width = line.Length;
                }
                else
                {
                    Console.Out.WriteLine(line);
                }
                await Task.Delay(TimeSpan.FromSeconds(every), ct);
                status = await client.Sweeps.StatusAsync(sweepId);
            }
            var done = $"{SweepText.ProgressLine(status, watch.Elapsed)}: {SweepText.StateName(status.State)}";
            Console.Out.WriteLine(terminal ? "\r" + done.PadRight(width) : done);
            if (status.Analysis is { } a) Console.Out.WriteLine($"results in {a.Directory}");
            return CliRunner.Ok;
        });
        return command;
    }
}
