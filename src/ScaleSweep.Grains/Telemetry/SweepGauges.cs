using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ScaleSweep.Abstractions.Telemetry;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>Live trial counts of one sweep, read by the gauge from another thread while the grain updates them.</summary>
internal interface ITrialCounts
{
    int Total { get; }
    int PendingCount { get; }
    int LeasedCount { get; }
}

/// <summary>
/// Process-local registry behind <see cref="TelemetryNames.SweepTrials"/>: each sweep grain publishes its book while
/// active here, and takes it back when it deactivates, so only the silo hosting a sweep reports it.
/// </summary>
internal static class SweepGauges
{
    private static readonly ConcurrentDictionary<string, ITrialCounts> Sweeps = new(StringComparer.Ordinal);

    public static void Publish(string sweepId, ITrialCounts counts)
    {
        Sweeps[sweepId] = counts;
        _ = SweepInstruments.Meter;
    }

    /// <summary>Removes the sweep only if <paramref name="counts"/> is still what is published for it.</summary>
    public static void Withdraw(string sweepId, ITrialCounts counts) => Sweeps.TryRemove(KeyValuePair.Create(sweepId, counts));

    public static IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (id, counts) in Sweeps)
        {
            // One read of each count, final derived from them: the three always add up to the total, even when the
            // grain moves a trial between states during the read.
            var sweep = SweepInstruments.SweepTag(id);
            var pending = counts.PendingCount;
            var leased = counts.LeasedCount;
            yield return new Measurement<int>(pending, sweep, State(TelemetryNames.States.Pending));
            yield return new Measurement<int>(leased, sweep, State(TelemetryNames.States.Leased));
            yield return new Measurement<int>(Math.Max(0, counts.Total - pending - leased), sweep, State(TelemetryNames.States.Completed));
        }
    }

    private static KeyValuePair<string, object?> State(string state) => new(TelemetryNames.Attributes.State, state);
}
