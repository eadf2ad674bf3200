using System.CommandLine;
using ScaleSweep.Cli.Progress;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep watch ID --redis H:P</c>: follows a sweep until its results are finalized. On a terminal a live view
/// (progress bar, counts, pace, ETA, best loss per scale); otherwise one parseable <c>progress ...</c> line per update
/// (format in docs/telemetry.md), then a <c>done ...</c> line.
/// </summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Follow a sweep's progress until it finishes (plain periodic lines when stdout is not a terminal).");
        var id = ClusterAccess.SweepIdArgument();
        var cluster = new ClusterFlags();
        var interval = new Option<double>("--interval") { Description = "Seconds between updates.", DefaultValueFactory = _ => 2 };
        command.Arguments.Add(id);
        cluster.AddTo(command);
        command.Options.Add(interval);
        command.SetAction(async (parse, ct) =>
        {
            var every = parse.GetValue(interval);
            if (!(every > 0)) throw new UsageException("--interval: must be a positive number of seconds");
            await using var client = await ClusterAccess.ConnectAsync(cluster.Read(parse), ct);
            var sweepId = parse.GetValue(id)!;
            var status = await ClusterAccess.RequireStatusAsync(client.Sweeps, sweepId);
            var period = TimeSpan.FromSeconds(every);
            status = await SweepFollower.FollowAsync(status, () => client.Sweeps.StatusAsync(sweepId),
                new FollowOptions(period, period, FollowOptions.StdoutIsTerminal), ct);
            var c = status.Counts;
            Console.Out.WriteLine($"done sweep={status.Id} state={SweepText.StateName(status.State)} total={c.Total} completed={c.Completed} " +
                $"diverged={c.Diverged} failed={c.Failed} cancelled={c.Cancelled}");
            if (status.Analysis is { } a) Console.Out.WriteLine($"results in {a.Directory}");
            return CliRunner.Ok;
        });
        return command;
    }
}
