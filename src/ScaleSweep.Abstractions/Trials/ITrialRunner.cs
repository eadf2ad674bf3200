namespace ScaleSweep.Abstractions.Trials;

/// <summary>Runs one trial to its final result. Implementations never throw for a diverged trial.</summary>
public interface ITrialRunner
{
    /// <summary>Trains <paramref name="spec"/>; reports progress; honours cancellation by returning a cancelled result or throwing <see cref="OperationCanceledException"/>.</summary>
    TrialResult Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation);
}

/// <summary>A progress report from a running trial.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialProgress(
    [property: Id(0)] int Step,
    [property: Id(1)] int TotalSteps,
    [property: Id(2)] double TrainLoss);
