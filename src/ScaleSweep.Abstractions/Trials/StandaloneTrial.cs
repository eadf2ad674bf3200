namespace ScaleSweep.Abstractions.Trials;

/// <summary>Running one trial outside any sweep: the <c>train</c> command, benchmarks and tests that want a whole row.</summary>
public static class StandaloneTrial
{
    /// <summary>Runs <paramref name="spec"/> and composes its row as a <see cref="TrialAttempt.Standalone"/> attempt timed by <paramref name="time"/>.</summary>
    public static TrialResult RunAlone(this ITrialRunner runner, TrialSpec spec, Action<TrialProgress>? progress,
        CancellationToken cancellation, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var started = time.GetUtcNow();
        var measured = runner.Run(spec, progress, cancellation);
        return TrialRows.Compose(spec, TrialAttempt.Standalone(spec, started, time.GetUtcNow()), measured);
    }
}
