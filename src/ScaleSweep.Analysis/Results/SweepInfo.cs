using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScaleSweep.Abstractions.Sweeps;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// <c>sweep.json</c>: what <c>scalesweep report DIR</c> needs to know about the sweep that filled a results folder
/// (its transfer settings and swept keys), written by the orchestrator next to <c>spec.yaml</c>.
/// </summary>
public sealed record SweepInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("axis")] string Axis,
    [property: JsonPropertyName("tolerance_log2")] double ToleranceLog2,
    [property: JsonPropertyName("swept_keys")] ImmutableArray<string> SweptKeys)
{
    [JsonPropertyName("sweep_id")] public string? SweepId { get; init; }

    /// <summary>Trials in the plan (the report shows how many are stored); null for a ladder, which plans as it goes.</summary>
    [JsonPropertyName("planned_trials")] public int? PlannedTrials { get; init; }

    /// <summary>Scale the prediction is made at (null: twice the largest measured scale).</summary>
    [JsonPropertyName("target")] public double? Target { get; init; }

    /// <summary>Relative loss tolerance of the penalty criterion; null (as in folders written before it existed): the spread decides.</summary>
    [JsonPropertyName("tolerance_loss")] public double? ToleranceLoss { get; init; }

    [JsonIgnore] public TransferSettings Transfer => new(Axis, ToleranceLog2) { Target = Target, ToleranceLoss = ToleranceLoss };

    public static SweepInfo From(SweepPlan plan, string? sweepId = null) =>
        new(plan.Name, plan.Settings.Transfer.Axis, plan.Settings.Transfer.ToleranceLog2, plan.Settings.SweptKeys)
        {
            SweepId = sweepId,
            PlannedTrials = plan.Settings.Ladder is null ? plan.Trials.Length : null,
            Target = plan.Settings.Transfer.Target,
            ToleranceLoss = plan.Settings.Transfer.ToleranceLoss,
        };

    /// <summary>Writes sweep.json and (when the plan has its YAML) spec.yaml into <paramref name="directory"/>, atomically.</summary>
    public static void WriteSweepFiles(string directory, SweepPlan plan, string? sweepId = null)
    {
        Directory.CreateDirectory(directory);
        From(plan, sweepId).Write(directory);
        if (!string.IsNullOrWhiteSpace(plan.SpecYaml))
            ResultsFolder.WriteTextAtomic(Path.Combine(directory, ResultsFolder.SpecFile), plan.SpecYaml);
    }

    public void Write(string directory) =>
        ResultsFolder.WriteTextAtomic(Path.Combine(directory, ResultsFolder.SweepFile), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The folder's sweep.json, or null when there is none.</summary>
    public static SweepInfo? TryRead(string directory)
    {
        var path = Path.Combine(directory, ResultsFolder.SweepFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SweepInfo>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
