using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>Result rows for a lease, composed as a worker composes them, for tests that play the worker.</summary>
public static class TestRows
{
    public static readonly DateTimeOffset Started = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TrialResult For(TrialLease lease, TrialMeasurements measured, string silo = "test-silo") =>
        TrialRows.Compose(lease.Spec, new TrialAttempt(lease.SweepId, lease.Key, lease.Attempt, silo, Started, Started.AddSeconds(1)), measured);

    public static TrialResult For(TrialLease lease, TrialStatus status = TrialStatus.Completed, string silo = "test-silo") =>
        For(lease, TrialMeasurements.None(status), silo);
}
