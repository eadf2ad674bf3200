using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.FeatureDiversity;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Diagnostics;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep feature-diversity</c>: train a residual MLP for a few steps, then measure how far apart the residual
/// streams k blocks apart are and fit the diversity exponent κ (distance ∝ (k/L)^κ). See docs/feature-diversity.md.
/// </summary>
public static class FeatureDiversityCommand
{
    public static Command Create()
    {
        var command = new Command("feature-diversity",
            "Feature diversity of a residual MLP after a few training steps: the relative distance between the residual " +
            "streams after blocks l and l+k, averaged over l and examples, for k = 1, 2, 4, … L/2, and the exponent κ of " +
            "distance ∝ (k/L)^κ (κ ≈ ½ for Depth-μP's L^-½ branches, → 1 for CompleteP's L^-1).");
        var flags = new TrialFlags();
        flags.AddTo(command);
        var examples = new Option<int>("--examples") { Description = "Eval examples the streams are measured on.", DefaultValueFactory = _ => 256 };
        var plot = new Option<string?>("--plot") { Description = "Write distance against k/L (log–log, with the fit) to this PNG file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var results = new Option<string?>("--results")
        {
            Description = "A finished resnet sweep's results folder: measure each parameterization's largest scale at its η*, " +
                          "trained as the sweep trained it (the trial flags are then not used).",
        };
        foreach (var option in new Option[] { examples, plot, json, results }) command.Options.Add(option);
        // A deep residual MLP against a one-block base: the branch multiplier is then L^-α itself.
        flags.Model.DefaultValueFactory = _ => ModelKind.Resnet.Name;
        flags.Width.DefaultValueFactory = _ => 128;
        flags.Depth.DefaultValueFactory = _ => 32;
        flags.BaseDepth.DefaultValueFactory = _ => 1;
        flags.Lr.DefaultValueFactory = _ => 1e-2;
        flags.Steps.DefaultValueFactory = _ => 20;
        flags.Batch.DefaultValueFactory = _ => 128;

        command.SetAction((parse, _) =>
        {
            var trials = parse.GetValue(results) is { } dir ? FeatureDiversityOfSweep.Trials(dir) : [flags.ToTrial(parse)];
            foreach (var spec in trials)
            {
                if (spec.Model.Kind != ModelKind.Resnet.Name)
                    throw new UsageException($"--model: feature diversity needs a residual stream: use resnet, not {spec.Model.Kind}");
                if (spec.Model.Depth < 4) throw new UsageException($"--depth: at least 4 blocks (two gaps to fit), got {spec.Model.Depth}");
            }
            var count = parse.GetValue(examples);
            if (count is < 1 or > 4096) throw new UsageException($"--examples: must be an integer from 1 to 4096, got {count}");
            var plotPath = parse.GetValue(plot) is { } p ? OutputPaths.Png(p, "--plot") : null;

            var reports = new List<FeatureDiversityReport>();
            foreach (var spec in trials)
            {
                try { reports.Add(FeatureDiversityMeasurement.Run(new FeatureDiversitySettings(spec, count))); }
                catch (DataUnavailableException ex) { throw new UsageException($"--data {spec.Data.Kind}: {ex.Message}"); }
            }

            if (plotPath is not null)
            {
                var first = reports[0].Trial.Model;
                FeatureDiversityPlot.Save(plotPath, $"feature diversity, resnet width {first.Width} depth {first.Depth}",
                    [.. reports.Select(r => new FeatureDiversityPlot.Series($"{r.Trial.Parameterization} {r.Trial.Model.Activation}", r.Fit))]);
                Console.Error.WriteLine($"wrote {plotPath}");
            }
            // One trial: its object. A sweep's folder: {"results": [one object per parameterization]}.
            if (parse.GetValue(json))
                Console.WriteLine((reports.Count == 1 && parse.GetValue(results) is null
                    ? ToJson(reports[0])
                    : new JsonObject { ["results"] = new JsonArray([.. reports.Select(r => (JsonNode)ToJson(r))]) }).ToJsonString(CliJson.Options));
            else reports.ForEach(Print);
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }

    /// <summary>One object: parameterization, activation, depth, gaps [{k, distance}], exponent (null if not fitted).</summary>
    public static JsonObject ToJson(FeatureDiversityReport report)
    {
        var spec = report.Trial;
        return new JsonObject
        {
            ["parameterization"] = spec.Parameterization,
            ["activation"] = spec.Model.Activation,
            ["depth"] = spec.Model.Depth,
            ["width"] = spec.Model.Width,
            ["base_depth"] = spec.Base.Depth,
            ["optimizer"] = spec.Optim.Optimizer,
            ["lr"] = spec.Optim.Lr,
            ["steps"] = spec.Optim.Steps,
            ["train_loss"] = Finite(report.FinalTrainLoss),
            ["gaps"] = new JsonArray(report.Fit.Gaps.Select(g => (JsonNode)new JsonObject { ["k"] = g.K, ["distance"] = Finite(g.Distance) }).ToArray()),
            ["exponent"] = Finite(report.Fit.Exponent),
        };
    }

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? value : null;

    private static void Print(FeatureDiversityReport report)
    {
        var spec = report.Trial;
        Console.WriteLine($"feature diversity: resnet width {spec.Model.Width} depth {spec.Model.Depth} (base depth {spec.Base.Depth}), " +
                          $"{spec.Parameterization} {spec.Model.Activation}, {spec.Optim.Optimizer} lr {spec.Optim.Lr:G3}, {spec.Optim.Steps} steps " +
                          $"(last train loss {report.FinalTrainLoss:F4})");
        Console.WriteLine($"{"k",4} {"k/L",8} {"distance",10}");
        foreach (var g in report.Fit.Gaps)
            Console.WriteLine($"{g.K,4} {((double)g.K / spec.Model.Depth).ToString("0.####", CultureInfo.InvariantCulture),8} {g.Distance,10:F5}");
        Console.WriteLine($"exponent κ = {report.Fit.Exponent:F3}");
    }
}
