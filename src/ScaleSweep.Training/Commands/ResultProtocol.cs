using System.Collections.Immutable;
using System.Text.Json;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Training.Commands;

/// <summary>One line of a command trial's stdout, read as the protocol (docs/command-trials.md).</summary>
public abstract record ProtocolLine
{
    /// <summary>Not protocol: goes to the trial's log. <paramref name="Malformed"/>: it looked like JSON but did not parse.</summary>
    public sealed record Other(string? Malformed) : ProtocolLine;

    /// <summary>A progress (curve) point.</summary>
    public sealed record Point(int Step, double TrainLoss, double? EvalLoss, double? Lr) : ProtocolLine;

    /// <summary>The final result; <paramref name="Problem"/> says why it cannot be used (the attempt then fails).</summary>
    public sealed record Final(TrialMeasurements Measured, string? Problem) : ProtocolLine;
}

/// <summary>
/// Reads stdout lines: an object with <c>final_eval_loss</c> or <c>status</c> is the final result, an object with
/// <c>step</c> a progress point, anything else is not protocol. Key names are the results columns' names.
/// </summary>
public static class ResultProtocol
{
    /// <summary>Keys with a meaning of their own in a progress or final object (never extra metrics).</summary>
    public static ImmutableHashSet<string> Keys { get; } =
    [
        ResultColumns.Step, ResultColumns.TrainLoss, ResultColumns.EvalLoss, ResultColumns.Lr,
        ResultColumns.Status, ResultColumns.FinalTrainLoss, ResultColumns.FinalEvalLoss, ResultColumns.EvalAccuracy,
        ResultColumns.BestEvalLoss, ResultColumns.DivergedAtStep, ResultColumns.Steps, ResultColumns.Params,
        ResultColumns.SamplesPerSecond, ResultColumns.Error,
    ];

    public static ProtocolLine Read(string line)
    {
        var text = line.Trim();
        if (!text.StartsWith('{')) return new ProtocolLine.Other(null);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return new ProtocolLine.Other(ex.Message);
        }
        if (root.ValueKind != JsonValueKind.Object) return new ProtocolLine.Other(null);
        if (root.TryGetProperty(ResultColumns.FinalEvalLoss, out _) || root.TryGetProperty(ResultColumns.Status, out _)) return Final(root);
        if (Int(root, ResultColumns.Step) is not { } step) return new ProtocolLine.Other(null);
        return new ProtocolLine.Point(step, Number(root, ResultColumns.TrainLoss) ?? double.NaN, Number(root, ResultColumns.EvalLoss), Number(root, ResultColumns.Lr));
    }

    private static ProtocolLine.Final Final(JsonElement root)
    {
        var status = TrialStatus.Completed;
        string? problem = null;
        if (root.TryGetProperty(ResultColumns.Status, out var s))
        {
            var name = s.ValueKind == JsonValueKind.String ? s.GetString() : s.ToString();
            if (name == TrialStatus.Diverged.ToName()) status = TrialStatus.Diverged;
            else if (name != TrialStatus.Completed.ToName())
                problem = $"status must be \"{TrialStatus.Completed.ToName()}\" or \"{TrialStatus.Diverged.ToName()}\", not {s.GetRawText()}";
        }
        var evalLoss = Number(root, ResultColumns.FinalEvalLoss);
        if (status == TrialStatus.Completed && problem is null && evalLoss is not { } loss)
            problem = $"a completed result needs a number in {ResultColumns.FinalEvalLoss}";
        var metrics = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (!Keys.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var v)) metrics[p.Name] = v;
        }
        var measured = new TrialMeasurements
        {
            Status = status,
            FinalEvalLoss = evalLoss,
            FinalTrainLoss = Number(root, ResultColumns.FinalTrainLoss),
            EvalAccuracy = Number(root, ResultColumns.EvalAccuracy),
            BestEvalLoss = Number(root, ResultColumns.BestEvalLoss),
            DivergedAtStep = Int(root, ResultColumns.DivergedAtStep),
            Steps = Int(root, ResultColumns.Steps) ?? 0,
            Params = (long)(Number(root, ResultColumns.Params) ?? 0),
            SamplesPerSecond = Number(root, ResultColumns.SamplesPerSecond) ?? 0,
            Metrics = metrics.ToImmutable(),
        };
        return new ProtocolLine.Final(measured, problem);
    }

    /// <summary>A finite number, or null (absent, null, or not a number: JSON has no NaN, so null is how a program says "none").</summary>
    private static double? Number(JsonElement root, string key) =>
        root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    private static int? Int(JsonElement root, string key) =>
        Number(root, key) is { } d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d : null;
}
