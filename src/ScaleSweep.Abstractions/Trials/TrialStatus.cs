namespace ScaleSweep.Abstractions.Trials;

/// <summary>Final state of a trial; written to Parquet in lower case.</summary>
public enum TrialStatus
{
    Completed,
    Diverged,
    Failed,
    Cancelled,
}

public static class TrialStatusNames
{
    public static string ToName(this TrialStatus status) => status switch
    {
        TrialStatus.Completed => "completed",
        TrialStatus.Diverged => "diverged",
        TrialStatus.Failed => "failed",
        TrialStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static TrialStatus Parse(string name) => name switch
    {
        "completed" => TrialStatus.Completed,
        "diverged" => TrialStatus.Diverged,
        "failed" => TrialStatus.Failed,
        "cancelled" => TrialStatus.Cancelled,
        _ => throw new FormatException($"unknown trial status '{name}'"),
    };
}
