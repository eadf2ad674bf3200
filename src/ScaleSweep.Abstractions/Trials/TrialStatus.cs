namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// Where a trial stands. A sweep's book holds one per trial; a result row holds one of the final ones. The values are
/// persisted (a sweep's progress keeps one byte per trial), so new ones are appended, never reordered.
/// </summary>
[GenerateSerializer]
public enum TrialStatus : byte
{
    Pending,
    Leased,
    Completed,
    Diverged,
    Failed,
    Cancelled,
    /// <summary>Stopped at its rung by a ladder's successive halving (<c>ladder.prune</c>): among the worst of its group there.</summary>
    Pruned,
}

/// <summary>One word of the status vocabulary: a status, its name and whether a trial in it is done.</summary>
public sealed record TrialStatusName(TrialStatus Status, string Name, bool IsFinal);

/// <summary>
/// The status vocabulary, each status once. The names of the final statuses are the <c>status</c> strings of
/// trials.parquet (a public contract): they are written here and nowhere else.
/// </summary>
public static class TrialStatusNames
{
    public static IReadOnlyList<TrialStatusName> All { get; } =
    [
        new(TrialStatus.Pending, "pending", IsFinal: false),
        new(TrialStatus.Leased, "leased", IsFinal: false),
        new(TrialStatus.Completed, "completed", IsFinal: true),
        new(TrialStatus.Diverged, "diverged", IsFinal: true),
        new(TrialStatus.Failed, "failed", IsFinal: true),
        new(TrialStatus.Cancelled, "cancelled", IsFinal: true),
        new(TrialStatus.Pruned, "pruned", IsFinal: true),
    ];

    /// <summary>The statuses a result row can have.</summary>
    public static IReadOnlyList<TrialStatus> Final { get; } = [.. All.Where(s => s.IsFinal).Select(s => s.Status)];

    public static string ToName(this TrialStatus status) => Word(status).Name;

    public static bool IsFinal(this TrialStatus status) => Word(status).IsFinal;

    /// <summary>A row's status from its exact name; only the final statuses are names a row can hold.</summary>
    public static bool TryParse(string? name, out TrialStatus status)
    {
        foreach (var word in All)
        {
            if (word.IsFinal && string.Equals(word.Name, name, StringComparison.Ordinal))
            {
                status = word.Status;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static TrialStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new FormatException($"unknown trial status '{name}'");

    // A loop, not LINQ: this runs once per row written.
    private static TrialStatusName Word(TrialStatus status)
    {
        foreach (var word in All)
            if (word.Status == status) return word;
        throw new ArgumentOutOfRangeException(nameof(status), status, "not a trial status");
    }
}
