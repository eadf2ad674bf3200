namespace ScaleSweep.Grains;

/// <summary>
/// Lease timing shared by sweep grains and workers. A worker renews every <see cref="RenewPeriod"/>; a lease not
/// renewed within <see cref="LeaseDuration"/> expires and its trial goes back to pending. Cancellation reaches a
/// running trial within one renew period, so keep it short; keep the duration several periods long so one slow
/// renewal does not cost a trial.
/// </summary>
public sealed class LeaseOptions
{
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan RenewPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a sweep grain ships results to its aggregator, expires leases and persists its state.</summary>
    public TimeSpan FlushPeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Answer a lease, a result or a failure only once the sweep's state holding it is written (on by default: a silo
    /// killed right after answering loses nothing it acknowledged). The embedded silo turns it off: its storage is
    /// memory in the same process, so a write protects nothing, and the timer still writes every flush period.
    /// </summary>
    public bool AcknowledgeAfterWrite { get; set; } = true;

    public void Validate()
    {
        if (RenewPeriod <= TimeSpan.Zero) throw new ArgumentException("renew period must be positive");
        if (LeaseDuration < 2 * RenewPeriod)
            throw new ArgumentException($"lease duration ({LeaseDuration}) must be at least twice the renew period ({RenewPeriod})");
        if (FlushPeriod <= TimeSpan.Zero) throw new ArgumentException("flush period must be positive");
    }
}
