namespace ScaleSweep.Grains.Scheduling;

/// <summary>Quarantine rules of the scheduler.</summary>
public sealed class SchedulerOptions
{
    /// <summary>A worker that fails this many trials in a row gets no leases for <see cref="QuarantineFor"/>.</summary>
    public int QuarantineAfterFailures { get; set; } = 5;

    public TimeSpan QuarantineFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A worker not heard from for this long no longer counts as alive (for quarantine and listing).</summary>
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
