using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Trainability;
using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep trainability DIR</c>: reads a σ_w² × depth sweep (sweeps/trainability.yaml) and holds its accuracy
/// against the prediction "trainable when depth ≤ 6 ξ_c" of Deep Information Propagation. Activation, σ_b² and
/// dropout come from the folder's spec.yaml (or the flags), ξ_c per σ_w² from the mean-field theory.
/// </summary>
public static class TrainabilityCommand
{
    public static Command Create()
    {
        var command = new Command("trainability",
            "Accuracy over σ_w² × depth against the trainable-depth prediction depth ≤ 6 ξ_c (Deep Information Propagation).");
        var directory = new Argument<string>("DIR") { Description = "Results folder of a sweep over sigma_w2 and depth." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (cells, agreement) and nothing else on stdout." };
        var plot = new Option<string?>("--plot") { Description = "Write the accuracy map with the 6 ξ_c and 3 ξ_c curves to this PNG file." };
        var activation = new Option<string?>("--activation") { Description = "Nonlinearity (default: the folder's spec.yaml, else tanh)." };
        var sigmaB2 = new Option<double?>("--sigma-b2") { Description = "σ_b² (default: the spec's, else 0.05)." };
        var dropout = new Option<double?>("--dropout") { Description = "Drop probability p (default: the spec's, else 0)." };
        var threshold = new Option<double?>("--threshold") { Description = "Trainable means accuracy ≥ this (default: halfway between chance and the best cell)." };
        var chance = new Option<double>("--chance") { Description = "Chance accuracy (diverged trials count as this).", DefaultValueFactory = _ => 0.1 };
        var lr = new Option<double?>("--lr") { Description = "Only the trials at this learning rate (default: per cell, the best swept LR)." };
        command.Arguments.Add(directory);
        foreach (var option in new Option[] { json, plot, activation, sigmaB2, dropout, threshold, chance, lr }) command.Options.Add(option);

        command.SetAction(async (parse, ct) =>
        {
            var dir = Path.GetFullPath(parse.GetValue(directory)!);
            if (!ResultsReader.HasResults(dir)) throw new UsageException($"{dir}: no {ResultsFolder.TrialsFile} (run the sweep first)");
            var chanceLevel = parse.GetValue(chance);
            if (!(chanceLevel is >= 0 and < 1)) throw new UsageException("--chance: must be in [0, 1)");

            var spec = TrySpec(dir);
            var table = await ResultsReader.ReadAsync(dir, ct);
            Setup setup;
            IReadOnlyList<TrainabilityRow> rows;
            try
            {
                var trials = TrainabilityTrials.Usable(table.Trials);
                if (parse.GetValue(lr) is { } only)
                {
                    trials = TrainabilityTrials.AtLearningRate(trials, only);
                    if (trials.Length == 0) throw new UsageException($"--lr: no trials at learning rate {Format(only)}");
                }
                setup = Setup.From(spec?.Model, parse.GetValue(activation),
                    parse.GetValue(sigmaB2) ?? TrainabilityTrials.Swept(trials, "sigma_b2"),
                    parse.GetValue(dropout) ?? TrainabilityTrials.Swept(trials, "dropout"));
                rows = TrainabilityTrials.Rows(trials, chanceLevel);
            }
            catch (TrainabilityInputException ex) { throw new UsageException(ex.Message); }
            if (rows.Count == 0) throw new UsageException($"{dir}: no completed or diverged trials to analyse");
            var plotPath = parse.GetValue(plot) is { } p ? OutputPaths.Png(p, "--plot") : null;

            var report = TrainabilityAnalysis.Analyze(rows, setup.XiC, new TrainabilityOptions(chanceLevel, parse.GetValue(threshold)));

            if (plotPath is not null)
            {
                TrainabilityPlot.Save(plotPath, Figure(report, setup, spec?.Name ?? Path.GetFileName(dir)));
                Console.Error.WriteLine($"wrote {plotPath}");
            }
            if (parse.GetValue(json)) Console.WriteLine(ToJson(report, setup).ToJsonString(CliJson.Options));
            else Console.Write(ToText(report, setup));
            return CliRunner.Ok;
        });
        return command;
    }

    /// <summary>What ξ_c depends on besides σ_w²; flags win over the spec, the spec over the paper's defaults.</summary>
    private sealed record Setup(Activation Activation, double SigmaB2, double Dropout)
    {
        public static Setup From(ModelConfig? model, string? activation, double? sigmaB2, double? dropout)
        {
            var name = activation ?? model?.Activation ?? "tanh";
            if (!Activation.TryParse(name, out var parsed))
                throw new UsageException($"--activation: unknown activation '{name}' (expected one of: {Activation.KnownNames})");
            var b = sigmaB2 ?? model?.SigmaB2 ?? 0.05;
            if (!(b >= 0) || !double.IsFinite(b)) throw new UsageException("--sigma-b2: must be a non-negative number");
            var p = dropout ?? model?.Dropout ?? 0;
            if (!(p is >= 0 and < 1)) throw new UsageException("--dropout: must be in [0, 1)");
            return new Setup(parsed, b, p);
        }

        public RandomNetwork Network(double sigmaW2) => new(Activation, sigmaW2, SigmaB2, 1 - Dropout);

        public double XiC(double sigmaW2) => FixedPointAnalysis.Analyze(Network(sigmaW2)).XiC;

        public string Describe() => $"{Activation.Name}, σ_b² = {Format(SigmaB2)}" + (Dropout > 0 ? $", dropout {Format(Dropout)}" : "");
    }

    private static SweepSpec? TrySpec(string dir)
    {
        var path = Path.Combine(dir, ResultsFolder.SpecFile);
        if (!File.Exists(path)) return null;
        try { return SweepSpecLoader.Load(path); }
        catch (SpecValidationException) { return null; } // an old spec that no longer validates: fall back to flags
    }

    private static TrainabilityPlot.Figure Figure(TrainabilityReport report, Setup setup, string name)
    {
        var curve = TrainabilityPlot.CurveSigmaW2(report).Select(w => (w, setup.XiC(w))).ToArray();
        var critical = setup.Dropout > 0 ? null : EdgeOfChaos.CriticalSigmaW2(setup.Activation, setup.SigmaB2);
        return new TrainabilityPlot.Figure($"{name}: {setup.Describe()}", report, curve, critical);
    }

    private static JsonObject ToJson(TrainabilityReport report, Setup setup) => new()
    {
        ["activation"] = setup.Activation.Name,
        ["sigma_b2"] = setup.SigmaB2,
        ["dropout"] = setup.Dropout,
        ["chance"] = report.Chance,
        ["threshold"] = Number(report.Threshold),
        ["best_accuracy"] = Number(report.BestAccuracy),
        ["depth_scale_multiple"] = report.DepthScaleMultiple,
        ["cells"] = new JsonArray(report.Cells.Select(c => (JsonNode)new JsonObject
        {
            ["sigma_w2"] = c.SigmaW2,
            ["depth"] = c.Depth,
            ["accuracy"] = Number(c.Accuracy),
            ["xi_c"] = Number(c.XiC), // null: ξ_c diverges (edge of chaos)
            ["predicted_trainable"] = c.PredictedTrainable,
            ["trainable"] = c.Trainable,
        }).ToArray()),
        ["agreement"] = Number(report.Agreement),
    };

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string ToText(TrainabilityReport report, Setup setup)
    {
        var text = new StringBuilder();
        text.AppendLine($"trainability: {setup.Describe()}; trainable = accuracy ≥ {Format(report.Threshold)} " +
                        $"(chance {Format(report.Chance)}, best {Format(report.BestAccuracy)}); predicted = depth ≤ {Format(report.DepthScaleMultiple)} ξ_c");
        text.AppendLine("cells: accuracy, then measured/predicted (T trainable, - not); * = disagrees");
        var sigmas = report.SigmaW2Values;
        var header = new[] { "depth \\ σ_w²" }.Concat(sigmas.Select(Format)).ToArray();
        var lines = report.DepthValues.Reverse().Select(depth => new[] { depth.ToString(CultureInfo.InvariantCulture) }
            .Concat(sigmas.Select(w => report.Cells.FirstOrDefault(c => c.SigmaW2 == w && c.Depth == depth) is { } c
                ? $"{c.Accuracy:0.000} {(c.Trainable ? 'T' : '-')}/{(c.PredictedTrainable ? 'T' : '-')}{(c.Agrees ? " " : "*")}"
                : ""))
            .ToArray()).ToList();
        lines.Add(new[] { "6 ξ_c" }.Concat(sigmas.Select(w => Format(report.DepthScaleMultiple * report.Cells.First(c => c.SigmaW2 == w).XiC))).ToArray());
        var widths = header.Select((h, i) => lines.Select(l => l[i].Length).Append(h.Length).Max()).ToArray();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))).TrimEnd());
        foreach (var line in lines) text.AppendLine(string.Join("  ", line.Select((c, i) => c.PadLeft(widths[i]))).TrimEnd());
        text.AppendLine();
        text.AppendLine($"agreement: {report.Cells.Count(c => c.Agrees)} of {report.Cells.Count} cells ({report.Agreement:P0}) on the predicted side");
        return text.ToString();
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "n/a" : value.ToString("G4", CultureInfo.InvariantCulture);
}
