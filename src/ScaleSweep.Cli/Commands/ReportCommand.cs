using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Reports;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep report DIR [--axis A] [--tolerance T] [--tolerance-loss F] [--target S] [--json]</c>: re-analyse any results folder.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Re-analyse a results folder: transfer.json, transfer.parquet, report.md and plots/*.png.");
        var dir = new Argument<string>("DIR") { Description = "Results folder holding trials.parquet (and curves.parquet)." };
        var axis = new Option<string?>("--axis") { Description = "Scale axis: width, depth, experts, expert_width, top_k or any extra swept column (default: sweep.json, else width)." };
        var tolerance = new Option<double?>("--tolerance") { Description = "Largest spread of log2 η* across scales that still counts as transfer (default: sweep.json, else 1.0)." };
        var toleranceLoss = new Option<double?>("--tolerance-loss") { Description = "Largest relative loss penalty (0.01 = 1%) of using the smallest scale's η* everywhere that still counts as transfer; makes the penalty decide (default: sweep.json, else 0.01)." };
        var target = new Option<double?>("--target") { Description = "Scale to predict η* at (default: sweep.json, else twice the largest measured scale)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (the verdicts, warnings and written files) on stdout." };
        command.Arguments.Add(dir);
        command.Options.Add(axis);
        command.Options.Add(tolerance);
        command.Options.Add(toleranceLoss);
        command.Options.Add(target);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir) ?? "";
            var tol = parse.GetValue(tolerance);
            if (tol is { } t && (!double.IsFinite(t) || t < 0)) throw new UsageException("--tolerance: must be a number ≥ 0 (log2 units)");
            var tolLoss = parse.GetValue(toleranceLoss);
            if (tolLoss is { } l && (!double.IsFinite(l) || l < 0)) throw new UsageException("--tolerance-loss: must be a number ≥ 0 (0.01 = 1%)");
            var targetScale = parse.GetValue(target);
            if (targetScale is { } x && (!double.IsFinite(x) || x <= 0)) throw new UsageException("--target: must be a positive number");
            if (!Directory.Exists(folder)) throw new UsageException($"results folder not found: {folder}");
            ReportOutput output;
            try
            {
                var settings = ReportWriter.ResolveSettings(folder, parse.GetValue(axis), tol, tolLoss, targetScale);
                output = await ReportWriter.WriteAllAsync(folder, settings, ct: ct);
            }
            catch (ReportInputException ex)
            {
                throw new UsageException(ex.Message);
            }
            if (parse.GetValue(json)) PrintJson(folder, output);
            else PrintText(output);
            return CliRunner.Ok;
        });
        return command;
    }

    private static void PrintJson(string folder, ReportOutput output)
    {
        var document = new JsonObject
        {
            ["results_dir"] = Path.GetFullPath(folder),
            ["trials"] = output.TrialCount,
            ["axis"] = output.Settings.Axis,
            ["tolerance_log2"] = output.Settings.ToleranceLog2,
            ["tolerance_loss"] = output.Settings.ToleranceLoss,
            ["target"] = output.Settings.Target,
            ["results"] = JsonSerializer.SerializeToNode(output.Analysis.Report.Results, TransferFiles.JsonOptions),
            ["warnings"] = new JsonArray([.. output.Analysis.Warnings.Select(w => JsonValue.Create(w))]),
            ["files"] = new JsonArray([.. Files(output).Select(f => JsonValue.Create(f))]),
        };
        Console.Out.WriteLine(document.ToJsonString(TransferFiles.JsonOptions));
    }

    private static void PrintText(ReportOutput output)
    {
        var inv = CultureInfo.InvariantCulture;
        var loss = output.Settings.ToleranceLoss is { } l ? $", tolerance_loss {l.ToString(inv)}" : "";
        Console.Out.WriteLine($"{output.TrialCount} trials, axis {output.Settings.Axis}, tolerance {output.Settings.ToleranceLog2.ToString(inv)} (log2){loss}");
        foreach (var line in SweepText.VerdictLines(output.Analysis.Report)) Console.Out.WriteLine(line);
        foreach (var w in output.Analysis.Warnings) Console.Out.WriteLine($"  warning: {w}");
        foreach (var f in Files(output)) Console.Out.WriteLine($"wrote {f}");
    }

    private static IEnumerable<string> Files(ReportOutput output) =>
        new[] { output.ReportPath, output.TransferJsonPath, output.TransferParquetPath }.Concat(output.Plots.Select(p => p.Path));
}
