namespace ScaleSweep.Abstractions.Trials;

/// <summary>Which attempt at which trial of which sweep a row records, on which silo and when: the row's identity.</summary>
public sealed record TrialAttempt(
    string SweepId,
    string TrialKey,
    int Attempt,
    string Silo,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    /// <summary>A trial run on its own (the <c>train</c> command, tests): no sweep, no silo, the first attempt.</summary>
    public static TrialAttempt Standalone(TrialSpec spec, DateTimeOffset startedAt, DateTimeOffset finishedAt) =>
        new("", Trials.TrialKey.For(spec), 1, "", startedAt, finishedAt);
}
