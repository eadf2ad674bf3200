using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.SignalPropagation;
using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;
using ScaleSweep.Training.Diagnostics;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep signal-prop-check</c>: real random networks (gaussian parameterization) against the mean-field
/// theory, layer by layer: q^l, c^l and the gradient growth ‖δ^l‖²/‖δ^(l+1)‖² against χ₁ at q^l.
/// </summary>
public static class SignalPropCheckCommand
{
    public static Command Create()
    {
        var command = new Command("signal-prop-check",
            "Measure q^l, c^l and per-layer gradient growth in random MLPs (W ~ N(0, σ_w²/N), b ~ N(0, σ_b²)) and compare " +
            "them with the mean-field length and correlation maps and χ₁.");
        var activation = new Option<string>("--activation") { Description = "Nonlinearity: tanh, relu, gelu, abs, linear.", DefaultValueFactory = _ => "tanh" };
        var sigmaW2 = new Option<double>("--sigma-w2") { Description = "Weight variance σ_w² (× fan-in), > 0.", Required = true };
        var sigmaB2 = new Option<double>("--sigma-b2") { Description = "Bias variance σ_b² (≥ 0).", DefaultValueFactory = _ => 0.05 };
        var depth = new Option<int>("--depth") { Description = "Hidden layers.", DefaultValueFactory = _ => 20 };
        var width = new Option<int>("--width") { Description = "Units per layer (mean-field agreement needs a few hundred or more).", DefaultValueFactory = _ => 1000 };
        var q0 = new Option<double?>("--q0") { Description = "Squared length q⁰ of the layer-0 pre-activations (default: the fixed point q*)." };
        var c0 = new Option<double>("--c0") { Description = "Correlation c⁰ of the two inputs' layer-0 pre-activations, in [−1, 1].", DefaultValueFactory = _ => 0.5 };
        var networks = new Option<int>("--networks") { Description = "Random networks averaged over.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first network.", DefaultValueFactory = _ => 0 };
        var dropout = new Option<double>("--dropout") { Description = "Drop probability p after every activation (keep ρ = 1 − p), in [0, 1).", DefaultValueFactory = _ => 0.0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else on stdout." };
        var plot = new Option<string?>("--plot") { Description = "Write measured vs theory q^l, c^l and gradient ratios to this PNG file." };
        foreach (var option in new Option[] { activation, sigmaW2, sigmaB2, depth, width, q0, c0, networks, seed, dropout, json, plot })
            command.Options.Add(option);

        command.SetAction((parse, cancellation) =>
        {
            var name = parse.GetValue(activation);
            if (!Activation.TryParse(name, out var theoryActivation) || !ActivationKind.Names.Contains(theoryActivation.Name))
                throw new UsageException($"--activation: '{name}' is not available in both the networks and the theory (use: {string.Join(", ", ActivationKind.Names.Where(n => Activation.TryParse(n, out _)))})");
            var w = Require("--sigma-w2", parse.GetValue(sigmaW2), v => v > 0, "must be a positive number");
            var b = Require("--sigma-b2", parse.GetValue(sigmaB2), v => v >= 0, "must be a non-negative number");
            var p = Require("--dropout", parse.GetValue(dropout), v => v is >= 0 and < 1, "must be in [0, 1)");
            var layers = (int)Require("--depth", parse.GetValue(depth), v => v is >= 1 and <= 1000, "must be an integer from 1 to 1000");
            var n = (int)Require("--width", parse.GetValue(width), v => v is >= 2 and <= 16384, "must be an integer from 2 to 16384");
            var count = (int)Require("--networks", parse.GetValue(networks), v => v is >= 1 and <= 1000, "must be an integer from 1 to 1000");
            var c = Require("--c0", parse.GetValue(c0), v => v is >= -1 and <= 1, "must be in [−1, 1]");
            var network = new RandomNetwork(theoryActivation, w, b, 1 - p);
            var point = FixedPointAnalysis.Analyze(network);
            var q = parse.GetValue(q0) is { } given
                ? Require("--q0", given, v => v > 0, "must be a positive number")
                : double.IsFinite(point.QStar) && point.QStar > 0 ? point.QStar : 1.0;

            var plotPath = parse.GetValue(plot) is { } path ? OutputPaths.Png(path, "--plot") : null;
            var settings = new SignalPropagationSettings(theoryActivation.Name, w, b, layers, n, q, c)
            {
                Networks = count,
                Seed = parse.GetValue(seed),
                Dropout = p,
            };
            var comparison = SignalPropagationComparison.Compare(
                Measured(SignalPropagationMeasurement.Run(settings, cancellation)), Predicted(network, q, c, layers));

            if (plotPath is not null)
            {
                SignalPropagationCheckPlot.Save(plotPath, Title(settings), comparison.Layers);
                Console.Error.WriteLine($"wrote {plotPath}");
            }
            if (parse.GetValue(json)) Console.WriteLine(ToJson(settings, point, comparison).ToJsonString(CliJson.Options));
            else Console.Write(ToTable(settings, point, comparison));
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }

    private static double Require(string flag, double value, Func<double, bool> valid, string rule) =>
        double.IsFinite(value) && valid(value) ? value : throw new UsageException($"{flag}: {rule}, got {Format(value)}");

    private static SignalProfile Measured(SignalPropagationReport report) =>
        new([.. report.Layers.Select(m => new SignalLayer(m.Q, m.C, m.QError, m.CError))], report.GradientRatios);

    private static SignalProfile Predicted(RandomNetwork network, double q0, double c0, int depth)
    {
        var layers = LayerwisePropagation.Propagate(network, q0, c0, depth);
        return new([.. layers.Select(l => new SignalLayer(l.Q, l.C))], LayerwisePropagation.GradientRatios(network, layers));
    }

    private static JsonObject ToJson(SignalPropagationSettings s, SignalPropagationPoint point, SignalPropagationComparison comparison) => new()
    {
        ["activation"] = s.Activation,
        ["sigma_w2"] = s.SigmaW2,
        ["sigma_b2"] = s.SigmaB2,
        ["dropout"] = s.Dropout,
        ["depth"] = s.Depth,
        ["width"] = s.Width,
        ["networks"] = s.Networks,
        ["seed"] = s.Seed,
        ["q0"] = s.Q0,
        ["c0"] = s.C0,
        ["q_star"] = Number(point.QStar),
        ["c_star"] = Number(point.CStar),
        ["chi1"] = Number(point.Chi1),
        ["xi_c"] = Number(point.XiC),
        ["gradient_ratio_definition"] = "||dL/dh^l||^2 / ||dL/dh^(l+1)||^2, predicted chi1(q^l)/keep",
        ["layers"] = new JsonArray(comparison.Layers.Select(r => (JsonNode)new JsonObject
        {
            ["layer"] = r.Index,
            ["q"] = Number(r.MeasuredQ),
            ["q_error"] = Number(r.QError),
            ["q_theory"] = Number(r.TheoryQ),
            ["c"] = Number(r.MeasuredC),
            ["c_error"] = Number(r.CError),
            ["c_theory"] = Number(r.TheoryC),
            ["gradient_ratio"] = Number(r.MeasuredGradientRatio),
            ["gradient_ratio_theory"] = Number(r.TheoryGradientRatio),
        }).ToArray()),
        ["max_q_relative_error"] = Number(comparison.MaxQRelativeError),
        ["max_c_abs_error"] = Number(comparison.MaxCAbsoluteError),
        ["gradient_growth_per_layer"] = Number(comparison.GradientGrowth),
        ["gradient_growth_per_layer_theory"] = Number(comparison.PredictedGradientGrowth),
    };

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string ToTable(SignalPropagationSettings s, SignalPropagationPoint point, SignalPropagationComparison comparison)
    {
        var text = new StringBuilder();
        text.AppendLine(Title(s) + $": {s.Networks} networks, q⁰ = {Format(s.Q0)}, c⁰ = {Format(s.C0)}");
        text.AppendLine($"theory: q* = {Format(point.QStar)}, c* = {Format(point.CStar)}, χ₁ = {Format(point.Chi1)}, ξ_c = {Format(point.XiC)}");
        text.AppendLine();
        string[] header = ["l", "q", "± s.e.", "q theory", "c", "± s.e.", "c theory", "‖δ^l‖²/‖δ^(l+1)‖²", "χ₁(q^l)" + (s.Dropout > 0 ? "/ρ" : "")];
        var cells = comparison.Layers.Select(r => new[]
        {
            r.Index.ToString(CultureInfo.InvariantCulture), Format(r.MeasuredQ), Format(r.QError), Format(r.TheoryQ),
            Format(r.MeasuredC), Format(r.CError), Format(r.TheoryC), Format(r.MeasuredGradientRatio), Format(r.TheoryGradientRatio),
        }).ToList();
        var widths = header.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))).TrimEnd());
        foreach (var row in cells) text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))).TrimEnd());

        text.AppendLine();
        text.AppendLine($"max |q/q_theory − 1| = {Format(comparison.MaxQRelativeError)}, max |c − c_theory| = {Format(comparison.MaxCAbsoluteError)}");
        text.AppendLine($"gradient growth per layer (geometric mean of ‖δ^l‖²/‖δ^(l+1)‖²): {Format(comparison.GradientGrowth)}, " +
                        $"predicted {Format(comparison.PredictedGradientGrowth)} ({(comparison.PredictedGradientGrowth < 1 ? "vanishing" : "exploding")} towards the input; " +
                        "norms, not squared, grow like the square root)");
        return text.ToString();
    }

    private static string Title(SignalPropagationSettings s) =>
        $"{s.Activation} σ_w² = {Format(s.SigmaW2)}, σ_b² = {Format(s.SigmaB2)}" +
        (s.Dropout > 0 ? $", dropout {Format(s.Dropout)}" : "") + $", width {s.Width}, depth {s.Depth}";

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "n/a" : value.ToString("G5", CultureInfo.InvariantCulture);
}
