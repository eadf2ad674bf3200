using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;

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

    public TrialLease Lease { get; } = lease;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Latest progress from the runner (written by the slot thread, read by renewals).</summary>
    public volatile TrialProgress? Progress;

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
