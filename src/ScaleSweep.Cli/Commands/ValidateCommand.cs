using System.CommandLine;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep validate SPEC [--json] [--cluster]</c>: the trial count, or every problem and exit 2.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var command = new Command("validate", "Check a sweep spec and print its trial count; list every problem and exit 2 if it is invalid.");
        var spec = new Argument<string>("SPEC") { Description = "Sweep spec (YAML file)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document {\"trials\":N,\"name\":...} on stdout (N: trials in the grid; a ladder spec adds \"strategy\":\"ladder\")." };
        var cluster = new Option<bool>("--cluster")
        {
            Description = "Also apply cluster-mode rules (output must be a relative folder under the results root).",
        };
        command.Arguments.Add(spec);
        command.Options.Add(json);
        command.Options.Add(cluster);
        command.SetAction(parse => Run(parse.GetValue(spec)!, parse.GetValue(json), parse.GetValue(cluster)));
        return command;
    }

    private static int Run(string path, bool json, bool cluster)
    {
        if (!File.Exists(path)) throw new UsageException($"spec file not found: {path}");
        SweepSpec spec;
        try
        {
            var mode = cluster ? SpecMode.Cluster : SpecMode.Embedded;
            spec = SweepSpecLoader.Load(path, mode);
            var errors = SpecFiles.RunnerChecks(spec, mode);
            if (errors.Length > 0) throw new SpecValidationException(path, errors);
        }
        catch (SpecValidationException ex)
        {
            // One line per problem, prefixed with the file like a compiler diagnostic.
            foreach (var error in ex.Errors) Console.Error.WriteLine($"{path}: {error}");
            return CliRunner.InvalidInput;
        }
        // Expanding (not just counting) also proves every trial key is distinct.
        var trials = spec.Expand().Trials.Length;
        if (json)
        {
            var document = new JsonObject { ["trials"] = trials, ["name"] = spec.Name };
            // A ladder runs part of the grid; how much depends on where the optima fall.
            if (spec.Ladder is not null) document["strategy"] = SweepStrategy.Ladder.Name;
            Console.WriteLine(document.ToJsonString());
        }
        else if (spec.Ladder is { } ladder)
            Console.WriteLine($"{trials} trials in the grid; strategy ladder runs the smallest {ladder.FullScales} scales in full and {ladder.Points} learning rates (or more, until the optimum is bracketed) at each larger one");
        else Console.WriteLine($"{trials} trials");
        return CliRunner.Ok;
    }
}
