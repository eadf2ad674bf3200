using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Reports;

/// <summary>Failed trials grouped by the first line of their error, most frequent first.</summary>
public sealed record FailureGroup(string Error, int Count, string ExampleTrialKey, string ExampleParameterization);

public static class FailureSummary
{
    private const int MaxErrorLength = 160;

    public static IReadOnlyList<FailureGroup> Of(IEnumerable<TrialResult> trials) => trials
        .Where(t => t.Status == TrialStatus.Failed)
        .GroupBy(t => FirstLine(t.Error))
        .Select(g => new FailureGroup(g.Key, g.Count(), g.First().TrialKey, g.First().Parameterization))
        .OrderByDescending(g => g.Count)
        .ThenBy(g => g.Error, StringComparer.Ordinal)
        .ToArray();

    private static string FirstLine(string? error)
    {
        if (string.IsNullOrWhiteSpace(error)) return "(no error message)";
        var line = error.Split('\n', 2)[0].Trim();
        return line.Length <= MaxErrorLength ? line : line[..MaxErrorLength] + "…";
    }
}
