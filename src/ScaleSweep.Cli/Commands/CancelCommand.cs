using System.CommandLine;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep cancel ID --redis H:P</c>: running trials stop within one renewal period.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var command = new Command("cancel", "Cancel a sweep: pending trials are dropped and running ones stop within one renewal period.");
        var id = ClusterAccess.SweepIdArgument();
        var cluster = new ClusterFlags();
        command.Arguments.Add(id);
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await ClusterAccess.ConnectAsync(cluster.Read(parse), ct, traced: true);
            var sweepId = parse.GetValue(id)!;
            await ClusterAccess.RequireStatusAsync(client.Sweeps, sweepId);
            var status = await client.Sweeps.CancelAsync(sweepId);
            Console.Out.WriteLine($"{sweepId}: {SweepText.StateName(status.State)}; {SweepText.Counts(status.Counts)}");
            return CliRunner.Ok;
        });
        return command;
    }
}
