using System.CommandLine;
using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Diagnostics;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep coord-check</c>: the μP coordinate check over width or depth.</summary>
public static class CoordCheckCommand
{
    public static Command Create()
    {
        var command = new Command("coord-check",
            "Coordinate check: mean |x| of every module's output over a few steps on one fixed batch, at several widths " +
            "(or depths), with the log2–log2 slope per module and step. Correct μP is flat (|slope| ≲ 0.1–0.2 for t ≥ 2).");
        var flags = new TrialFlags();
        flags.AddTo(command);
        var widths = new Option<string?>("--widths") { Description = "Comma-separated widths, e.g. 64,128,256,512,1024." };
        var depths = new Option<string?>("--depths") { Description = "Comma-separated depths (check over depth at --width)." };
        var experts = new Option<string?>("--experts") { Description = "Comma-separated expert counts (moe: check over experts)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds averaged per scale.", DefaultValueFactory = _ => 3 };
        var plot = new Option<string?>("--plot") { Description = "Write the coordinate-check figure to this PNG file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        foreach (Option option in new Option[] { widths, depths, experts, seeds, plot, json }) command.Options.Add(option);
        // Coordinate checks use a larger LR than training and a handful of steps on one batch.
        flags.Lr.DefaultValueFactory = _ => 1e-2;
        flags.Steps.DefaultValueFactory = _ => 4;
        flags.Batch.DefaultValueFactory = _ => 64;

        command.SetAction((parse, _) =>
        {
            var given = CoordinateCheck.Axes.Zip([("--widths", widths), ("--depths", depths), ("--experts", experts)])
                .Where(a => parse.GetValue(a.Second.Item2) is not null).ToArray();
            if (given.Length != 1) throw new UsageException("--widths, --depths or --experts: give exactly one of them");
            var (axis, (flag, option)) = given[0];
            var scales = ParseList(flag, parse.GetValue(option)!);
            if (parse.GetValue(seeds) <= 0) throw new UsageException("--seeds: must be a positive integer");
            var spec = flags.ToSweep(parse, (axis.Name, flag, scales)).Expand().Trials[0].Spec;
            if (spec.Optim.Batch > 4096) throw new UsageException("--batch: at most 4096 for a coordinate check");
            var plotPath = parse.GetValue(plot) is { } p ? OutputPaths.Png(p, "--plot") : null;
            var settings = new CoordinateCheckSettings(spec, axis.Name, scales, spec.Optim.Steps, spec.Optim.Batch, parse.GetValue(seeds));

            CoordinateCheckReport report;
            try { report = CoordinateCheck.Run(settings); }
            catch (DataUnavailableException ex) { throw new UsageException($"--data {spec.Data.Kind}: {ex.Message}"); }

            if (plotPath is not null)
                CoordinateCheckPlot.Save(plotPath, $"{spec.Model.Kind} {spec.Parameterization} {spec.Optim.Optimizer} lr {spec.Optim.Lr:G3}", axis.Name,
                    report.Records.Select(r => new CoordinateCheckPlot.Point(r.Module, r.T, r.Scale, r.MeanAbs)).ToArray());

            if (parse.GetValue(json)) Console.WriteLine(ToJson(report).ToJsonString(CliJson.Options));
            else Print(report);
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }

    private static int[] ParseList(string flag, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, out var v) || v <= 0) throw new UsageException($"{flag}: '{part}' is not a positive integer");
            values.Add(v);
        }
        if (values.Count < 2) throw new UsageException($"{flag}: give at least two values to fit a slope");
        if (values.Distinct().Count() != values.Count) throw new UsageException($"{flag}: values must be distinct");
        return values.Order().ToArray();
    }

    public static JsonObject ToJson(CoordinateCheckReport report)
    {
        var spec = report.Settings.BaseTrial;
        return new JsonObject
        {
            ["model"] = spec.Model.Kind,
            ["parameterization"] = spec.Parameterization,
            ["optimizer"] = spec.Optim.Optimizer,
            ["lr"] = spec.Optim.Lr,
            ["axis"] = report.Settings.Axis,
            ["records"] = CliJson.ToNode(report.Records),
            ["slopes"] = new JsonArray(report.Slopes.Select(s => (JsonNode)new JsonObject
            {
                ["module"] = s.Module,
                ["t"] = s.T,
                ["slope"] = double.IsFinite(s.Slope) ? s.Slope : null,
            }).ToArray()),
        };
    }

    private static void Print(CoordinateCheckReport report)
    {
        var spec = report.Settings.BaseTrial;
        Console.WriteLine($"coordinate check: {spec.Model.Kind} {spec.Parameterization} {spec.Optim.Optimizer} lr {spec.Optim.Lr:G3}, " +
                          $"axis {report.Settings.Axis} {string.Join(",", report.Settings.Scales)}");
        Console.WriteLine($"{"module",-12} {"t",3} {"slope",8}");
        foreach (var s in report.Slopes) Console.WriteLine($"{s.Module,-12} {s.T,3} {s.Slope,8:F3}");
    }
}
