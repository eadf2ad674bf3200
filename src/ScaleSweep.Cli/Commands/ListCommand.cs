using System.CommandLine;
using System.Text.Json.Nodes;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep list --redis H:P [--json]</c>: every sweep of the cluster, newest first.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the cluster's sweeps, newest first.");
        var cluster = new ClusterFlags();
        var json = new Option<bool>("--json") { Description = "Print a JSON array of status documents (with name)." };
        cluster.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await ClusterAccess.ConnectAsync(cluster.Read(parse), ct);
            var sweeps = await client.Sweeps.ListAsync();
            if (parse.GetValue(json))
            {
                var array = new JsonArray();
                foreach (var s in sweeps)
                {
                    var node = SweepText.StatusJson(s);
                    node["name"] = s.Name;
                    array.Add(node);
                }
                Console.Out.WriteLine(array.ToJsonString());
                return CliRunner.Ok;
            }
            if (sweeps.Length == 0) Console.Out.WriteLine("no sweeps");
            foreach (var s in sweeps)
                Console.Out.WriteLine($"{s.Id,-48} {SweepText.StateName(s.State),-9} {s.Counts.Final,6}/{s.Counts.Total,-6} {s.Name}");
            return CliRunner.Ok;
        });
        return command;
    }
}
