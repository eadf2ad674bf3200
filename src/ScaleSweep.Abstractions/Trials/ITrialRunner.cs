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
    /// The same, knowing which attempt of which sweep this is and where it runs (a runner that hands the trial to
    /// another program needs that), and whether it is a ladder's rung leg: with <see cref="TrialContext.StopAtStep"/>
    /// the runner trains only that many steps of the full run (its schedule, an evaluation at the last step) and
    /// measures the trial there. The default serves runners that care about neither and refuses a rung leg rather
    /// than report a full run as a short one.
    /// </summary>
    TrialMeasurements Run(TrialSpec spec, TrialContext context, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        context.StopAtStep <= 0 ? Run(spec, progress, cancellation)
        : throw new NotSupportedException($"{GetType().Name} cannot stop a trial at step {context.StopAtStep}");
}

/// <summary>A progress report from a running trial.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialProgress(
    [property: Id(0)] int Step,
    [property: Id(1)] int TotalSteps,
    [property: Id(2)] double TrainLoss);
