using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Telemetry;

namespace ScaleSweep.Grains.Workers;

/// <summary>Why a worker stopped a trial before it finished.</summary>
internal enum StopReason
{
    None,
    /// <summary>The sweep was cancelled: the trial is final already, nothing to report.</summary>
    Cancelled,
    /// <summary>The lease went to someone else or the trial is final: report a result if there is one.</summary>
    Lost,
    /// <summary>This silo is shutting down: give the lease back.</summary>
    Shutdown,
}

/// <summary>A leased trial on this worker, queued or running, shared by the slot thread and the dispatcher.</summary>
internal sealed class ActiveTrial(TrialLease lease)
{
    private int _stopReason;
    private int _stepsCounted;

    public TrialLease Lease { get; } = lease;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Latest progress from the runner (written by the slot thread, read by renewals).</summary>
    public volatile TrialProgress? Progress;

    /// <summary>
    /// The runner's progress callback (slot thread): keeps the latest report for renewals and adds the steps since
    /// the previous report to the step and sample counters, without allocating.
    /// </summary>
    public void OnProgress(TrialProgress progress)
    {
        Progress = progress;
        var steps = progress.Step - _stepsCounted;
        if (steps <= 0) return;
        _stepsCounted = progress.Step;
        SweepInstruments.RecordTraining(steps, (long)steps * Math.Max(1, Lease.Spec.Optim.Batch));
    }

    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);

    /// <summary>Cancels the trial's token; the first reason given wins.</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
            Cancellation.Cancel();
    }
}

/// <summary>How a slot finished a trial.</summary>
internal sealed record TrialOutcome(ActiveTrial Trial, TrialResult? Result, string? Error);
