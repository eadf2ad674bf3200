namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// Runs one trial and measures it. A runner knows nothing of sweeps, attempts or silos: its caller composes the row
/// (<see cref="TrialRows.Compose"/>). Implementations never throw for a diverged trial.
/// </summary>
public interface ITrialRunner
{
    /// <summary>Trains <paramref name="spec"/>; reports progress; honours cancellation by returning cancelled measurements or throwing <see cref="OperationCanceledException"/>.</summary>
    TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation);

    /// <summary>
    /// Trains only the first <paramref name="stopAtStep"/> steps of <paramref name="spec"/>'s full run (the schedule
    /// of the full run, an evaluation at the last step) and measures the trial there; 0 runs it to the end. A runner
    /// that cannot stop early refuses rather than report a full run as a short one.
    /// </summary>
    TrialMeasurements Run(TrialSpec spec, int stopAtStep, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        stopAtStep <= 0 ? Run(spec, progress, cancellation)
        : throw new NotSupportedException($"{GetType().Name} cannot stop a trial at step {stopAtStep}");
}

/// <summary>A progress report from a running trial.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialProgress(
    [property: Id(0)] int Step,
    [property: Id(1)] int TotalSteps,
    [property: Id(2)] double TrainLoss);
