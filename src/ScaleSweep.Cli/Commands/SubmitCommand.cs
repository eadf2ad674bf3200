using System.CommandLine;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep submit SPEC --redis H:P [--id ID] [--reuse DIR]</c>: validates (cluster rules), reads the reused rows,
/// submits, prints the sweep id alone (notes go to stderr).
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var command = new Command("submit", "Submit a sweep to a cluster; prints the sweep id.");
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec (YAML file)." };
        var cluster = new ClusterFlags();
        var id = new Option<string?>("--id") { Description = "Sweep id to use (default: NAME-date-time-random)." };
        command.Arguments.Add(spec);
        cluster.AddTo(command);
        var reuse = ReuseFlag.Create();
        command.Options.Add(id);
        command.Options.Add(reuse);
        command.SetAction(async (parse, ct) =>
        {
            // Cluster rules (output under the silos' results root) are checked here, before connecting.
            var plan = SpecFiles.Load(parse.GetValue(spec)!, SpecMode.Cluster).Expand();
            var sweepId = parse.GetValue(id) ?? SweepClient.NewId(plan.Name);
            if (sweepId.Length == 0 || sweepId.Any(char.IsWhiteSpace)) throw new UsageException("--id: must be non-empty without spaces");
            // The output folder lives under the silos' results root, which this machine need not see: no same-folder check.
            plan = await ReuseFlag.AttachAsync(parse.GetValue(reuse), plan, output: null, ct);
            await using var client = await ClusterAccess.ConnectAsync(cluster.Read(parse), ct, traced: true);
            try
            {
                var status = await client.Sweeps.SubmitAsync(plan, sweepId);
                if (parse.GetValue(reuse) is { } from) Console.Error.WriteLine(ReuseFlag.Summary(status.Reused, status.Counts.Total, from));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // The silos refused the plan (output outside the results root, id already used, ...).
                throw new UsageException(ex.Message);
            }
            Console.Out.WriteLine(sweepId);
            return CliRunner.Ok;
        });
        return command;
    }
}
