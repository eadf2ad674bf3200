using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Theory;
using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep signal-prop</c>: mean-field signal propagation at initialization (Deep Information Propagation):
/// q*, c*, χ₁ and the depth scales ξ_q, ξ_c over a σ_w² range, the edge of chaos, and optionally the phase diagram.
/// </summary>
public static class SignalPropCommand
{
    private const int PlotColumns = 61;
    private const int PlotRows = 31;

    public static Command Create()
    {
        var command = new Command("signal-prop",
            "Mean-field signal propagation at initialization: fixed points, χ₁, depth scales ξ_q and ξ_c, edge of chaos.");
        var activation = new Option<string>("--activation")
        {
            Description = $"Nonlinearity: {Activation.KnownNames}.",
            DefaultValueFactory = _ => "tanh",
        };
        var sigmaB2 = new Option<double>("--sigma-b2") { Description = "Bias variance σ_b² (≥ 0).", DefaultValueFactory = _ => 0.05 };
        var sigmaW2 = new Option<string>("--sigma-w2")
        {
            Description = "Weight variance σ_w² (× fan-in) as FROM:TO:STEP, both ends included, or a single value.",
            DefaultValueFactory = _ => "1.0:4.0:0.25",
        };
        var keep = new Option<double>("--dropout-keep")
        {
            Description = "Dropout keep rate ρ in (0, 1]; below 1 there is no edge of chaos (c* < 1, ξ_c finite).",
            DefaultValueFactory = _ => 1.0,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object and nothing else on stdout; infinite depth scales and undefined values are null.",
        };
        var plot = new Option<string?>("--plot") { Description = "Write the phase diagram (ξ_c over σ_w² × σ_b², edge of chaos) to this PNG file." };
        var plotSigmaB2 = new Option<string?>("--plot-sigma-b2")
        {
            Description = "σ_b² axis of the phase diagram as FROM:TO:STEP (default 0 to max(0.3, 2·σ_b²), 31 rows).",
        };
        foreach (var option in new Option[] { activation, sigmaB2, sigmaW2, keep, json, plot, plotSigmaB2 }) command.Options.Add(option);

        command.SetAction((parse, cancellation) =>
        {
            var request = Request.From(
                parse.GetValue(activation), parse.GetValue(sigmaB2), parse.GetValue(sigmaW2), parse.GetValue(keep),
                parse.GetValue(plot), parse.GetValue(plotSigmaB2));

            var points = request.SigmaW2.Values()
                .AsParallel().AsOrdered().WithCancellation(cancellation)
                .Select(w => FixedPointAnalysis.Analyze(new RandomNetwork(request.Activation, w, request.SigmaB2, request.DropoutKeep)))
                .ToArray();
            var critical = EdgeOfChaos.CriticalSigmaW2(request.Activation, request.SigmaB2);

            if (parse.GetValue(json)) Console.WriteLine(ToJson(request, critical, points).ToJsonString());
            else Console.Write(ToTable(request, critical, points));

            if (request.PlotPath is not null) SavePhaseDiagram(request, cancellation);
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }

    /// <summary>The validated flags; every user mistake becomes a <see cref="UsageException"/> naming its flag.</summary>
    private sealed record Request(
        Activation Activation, double SigmaB2, GridRange SigmaW2, double DropoutKeep, string? PlotPath, GridRange? PlotSigmaB2)
    {
        public static Request From(string? activation, double sigmaB2, string? sigmaW2, double keep, string? plot, string? plotSigmaB2)
        {
            if (!Activation.TryParse(activation, out var parsed))
                throw new UsageException($"--activation: unknown activation '{activation}' (expected one of: {Activation.KnownNames})");
            if (!double.IsFinite(sigmaB2) || sigmaB2 < 0)
                throw new UsageException($"--sigma-b2: must be a non-negative number, got {Format(sigmaB2)}");
            var range = ParseRange("--sigma-w2", sigmaW2);
            if (range.From <= 0) throw new UsageException($"--sigma-w2: values must be positive, got FROM = {Format(range.From)}");
            if (!(keep > 0 && keep <= 1)) throw new UsageException($"--dropout-keep: must be in (0, 1], got {Format(keep)}");

            GridRange? rows = null;
            if (plotSigmaB2 is not null)
            {
                rows = ParseRange("--plot-sigma-b2", plotSigmaB2);
                if (rows.From < 0) throw new UsageException($"--plot-sigma-b2: values must be non-negative, got FROM = {Format(rows.From)}");
            }
            if (plot is not null)
            {
                if (range.Count < 2) throw new UsageException("--plot: needs a --sigma-w2 range with FROM < TO");
                plot = OutputPaths.Png(plot, "--plot");
            }
            else if (rows is not null) throw new UsageException("--plot-sigma-b2: only meaningful together with --plot");
            return new Request(parsed, sigmaB2, range, keep, plot, rows);
        }

        private static GridRange ParseRange(string flag, string? text)
        {
            try { return GridRange.Parse(text); }
            catch (FormatException ex) { throw new UsageException($"{flag}: {ex.Message}"); }
        }
    }

    private static JsonObject ToJson(Request request, double? critical, IReadOnlyList<SignalPropagationPoint> points) => new()
    {
        ["activation"] = request.Activation.Name,
        ["sigma_b2"] = request.SigmaB2,
        ["dropout_keep"] = request.DropoutKeep,
        ["critical_sigma_w2"] = Number(critical ?? double.NaN),
        ["points"] = new JsonArray(points.Select(p => (JsonNode)new JsonObject
        {
            ["sigma_w2"] = p.SigmaW2,
            ["q_star"] = Number(p.QStar),
            ["c_star"] = Number(p.CStar),
            ["chi1"] = Number(p.Chi1),
            ["xi_q"] = Number(p.XiQ),
            ["xi_c"] = Number(p.XiC),
        }).ToArray()),
    };

    // JSON has no infinity or NaN: a divergent depth scale or an undefined value is null.
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string ToTable(Request request, double? critical, IReadOnlyList<SignalPropagationPoint> points)
    {
        var text = new StringBuilder();
        text.AppendLine($"signal propagation at initialization: {request.Activation.Name}, σ_b² = {Format(request.SigmaB2)}" +
                        (request.DropoutKeep < 1 ? $", dropout keep ρ = {Format(request.DropoutKeep)}" : ""));
        text.AppendLine(critical is { } c
            ? $"edge of chaos (χ₁ = 1{(request.DropoutKeep < 1 ? ", without dropout" : "")}): σ_w² = {Format(c)}"
            : "edge of chaos: none (χ₁ does not cross 1 for σ_w² up to 100)");
        if (request.DropoutKeep < 1) text.AppendLine("with dropout c* < 1 everywhere and ξ_c stays finite: there is no critical point");
        text.AppendLine();

        string[] header = ["σ_w²", "q*", "c*", "χ₁", "ξ_q", "ξ_c", "depth ≈ 6ξ_c", "phase"];
        var rows = points.Select(p => new[]
        {
            Format(p.SigmaW2), Format(p.QStar), Format(p.CStar), Format(p.Chi1), Format(p.XiQ), Format(p.XiC),
            double.IsFinite(p.XiC) ? Math.Round(6 * p.XiC).ToString(CultureInfo.InvariantCulture) : "any",
            Phase(p),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))).TrimEnd());
        foreach (var row in rows) text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadLeft(widths[i]))).TrimEnd());
        text.AppendLine();
        text.AppendLine("q*: fixed length; c*: fixed correlation; χ₁ < 1 ordered, > 1 chaotic; ξ: depth scales in layers (∞: divergent).");
        return text.ToString();
    }

    private static string Phase(SignalPropagationPoint point) =>
        double.IsPositiveInfinity(point.QStar) ? "q → ∞"
        : Math.Abs(point.Chi1 - 1) < 1e-9 ? "critical"
        : point.Chi1 < 1 ? "ordered" : "chaotic";

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "n/a" : value.ToString("G6", CultureInfo.InvariantCulture);

    private static void SavePhaseDiagram(Request request, CancellationToken cancellation)
    {
        var columns = Enumerable.Range(0, PlotColumns)
            .Select(i => request.SigmaW2.From + (request.SigmaW2.To - request.SigmaW2.From) * i / (PlotColumns - 1))
            .ToArray();
        var top = Math.Max(0.3, 2 * request.SigmaB2);
        var rows = request.PlotSigmaB2?.Values() ?? Enumerable.Range(0, PlotRows).Select(i => top * i / (PlotRows - 1)).ToArray();
        Console.Error.WriteLine($"computing the phase diagram ({columns.Length} × {rows.Count} points)...");

        var diagram = PhaseDiagram.Compute(request.Activation, columns, rows, request.DropoutKeep, cancellation);
        var title = $"{request.Activation.Name}: correlation depth scale ξ_c" +
                    (request.DropoutKeep < 1 ? $", dropout keep {Format(request.DropoutKeep)}" : "");
        var figure = new PhaseDiagramPlot.Figure(
            title, diagram.SigmaW2, diagram.SigmaB2, diagram.XiC, diagram.CriticalSigmaW2,
            CriticalLabel: request.DropoutKeep < 1 ? "edge of chaos without dropout (χ₁ = 1)" : "edge of chaos (χ₁ = 1)");
        PhaseDiagramPlot.Save(request.PlotPath!, figure);
        Console.Error.WriteLine($"wrote {request.PlotPath}");
    }
}
