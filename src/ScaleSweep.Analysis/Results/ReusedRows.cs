using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Results;

/// <summary>
/// <c>--reuse DIR</c>: the finished rows of an earlier results folder whose trial keys are trials of a new plan.
/// A key is the hash of a trial's whole configuration, so a match is the same trial; a row whose configuration
/// columns say otherwise (an edited file) is refused rather than mixed into the new sweep.
/// </summary>
public static class ReusedRows
{
    /// <summary>
    /// Rows that are results: completed and diverged. A failed trial may have failed for a reason of that run (a lost
    /// silo, a full disk) and a cancelled one never finished, so both run again.
    /// </summary>
    public static bool IsReusable(TrialStatus status) => status is TrialStatus.Completed or TrialStatus.Diverged;

    /// <summary>
    /// The reusable rows of <paramref name="directory"/> that belong to <paramref name="plan"/> (the first stored row of a
    /// key), with their curves. Throws <see cref="InvalidDataException"/>, naming the file, when trials.parquet is missing
    /// or unreadable, when curves.parquet is unreadable, or when a row disagrees with the plan's trial of its key.
    /// </summary>
    public static async Task<ImmutableArray<TrialResult>> ReadAsync(string directory, SweepPlan plan, CancellationToken ct = default)
    {
        var trialsPath = ResultsFolder.Trials(directory);
        if (!File.Exists(trialsPath)) throw new InvalidDataException($"{trialsPath} does not exist");
        var trials = (await ReadFileAsync(trialsPath, p => ResultsReader.ReadTrialsAsync(p, ct))).Trials;
        var planned = plan.Trials.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var rows = trials.Where(r => IsReusable(r.Status) && planned.ContainsKey(r.TrialKey)).DistinctBy(r => r.TrialKey).ToArray();
        foreach (var row in rows)
        {
            if (Mismatch(planned[row.TrialKey], row) is { } mismatch)
                throw new InvalidDataException($"{trialsPath}: trial {row.TrialKey} {mismatch}; the key says it is the same trial, so the file was edited: refusing to mix it in");
        }
        var curvesPath = ResultsFolder.Curves(directory);
        if (rows.Length == 0 || !File.Exists(curvesPath)) return [.. rows];
        var curves = await ReadFileAsync(curvesPath, p => ResultsReader.ReadCurvesAsync(p, ct));
        return [.. rows.Select(r => curves.TryGetValue(r.TrialKey, out var c) ? r with { Curve = [.. c] } : r)];
    }

    /// <summary>
    /// The first configuration column in which a stored row differs from the planned trial it claims to be
    /// ("has width 128 there, 256 in the plan"), or null when every configuration column agrees.
    /// </summary>
    public static string? Mismatch(PlannedTrial trial, TrialResult row)
    {
        if (row.TrialKey != trial.Key) return $"has key {row.TrialKey}, {trial.Key} in the plan";
        var planned = TrialRows.Compose(trial.Spec, new TrialAttempt("", trial.Key, 1, "", default, default), TrialMeasurements.None(TrialStatus.Completed));
        foreach (var column in TrialColumns.ConfigurationOf([planned, row]))
        {
            var (expected, stored) = (column.ValueOf(planned), column.ValueOf(row));
            if (!Equals(expected, stored)) return $"has {column.Name} {Text(stored)} there, {Text(expected)} in the plan";
        }
        return null;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    private static async Task<T> ReadFileAsync<T>(string path, Func<string, Task<T>> read)
    {
        try
        {
            return await read(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever a damaged file makes the Parquet reader throw, the user's answer is the same: this file.
            throw new InvalidDataException($"{path} is not a readable results file ({ex.Message})", ex);
        }
    }
}
