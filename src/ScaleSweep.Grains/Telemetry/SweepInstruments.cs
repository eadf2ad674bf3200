using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScaleSweep.Abstractions.Telemetry;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>
/// The process's ScaleSweep meter, instruments and activity source. Static on purpose: meters and sources are
/// process-wide by name anyway, so several silos in one process (embedded clusters, TestCluster) share one set and a
/// listener sees each measurement once. With no listener every call is a no-op check.
/// </summary>
public static class SweepInstruments
{
    /// <summary>Bucket boundaries of <see cref="TelemetryNames.TrialDuration"/>, in seconds: noop trials to hour-long runs.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);

    public static readonly Meter Meter = new(TelemetryNames.Meter);

    internal static readonly Counter<long> TrialsStarted =
        Meter.CreateCounter<long>(TelemetryNames.TrialsStarted, "{trial}", "Trial attempts a worker started.");

    internal static readonly Counter<long> TrialsCompleted =
        Meter.CreateCounter<long>(TelemetryNames.TrialsCompleted, "{trial}", "Trials that finished with status completed.");

    internal static readonly Counter<long> TrialsDiverged =
        Meter.CreateCounter<long>(TelemetryNames.TrialsDiverged, "{trial}", "Trials that finished with status diverged.");

    internal static readonly Counter<long> TrialsFailed =
        Meter.CreateCounter<long>(TelemetryNames.TrialsFailed, "{trial}", "Trial attempts that failed (threw or reported failure).");

    internal static readonly Counter<long> TrialsRetried =
        Meter.CreateCounter<long>(TelemetryNames.TrialsRetried, "{trial}", "Trials leased again after a failed or expired attempt.");

    internal static readonly Counter<long> TrainSteps =
        Meter.CreateCounter<long>(TelemetryNames.TrainSteps, "{step}", "Optimizer steps taken by the trials of this process.");

    internal static readonly Counter<long> TrainSamples =
        Meter.CreateCounter<long>(TelemetryNames.TrainSamples, "{sample}", "Training examples processed (steps × batch).");

    internal static readonly Histogram<double> TrialDuration = Meter.CreateHistogram(TelemetryNames.TrialDuration, "s",
        "Wall time of one trial attempt.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    static SweepInstruments()
    {
        // Gauges read snapshots the grains and workers keep anyway: observing them costs nothing until a collection.
        Meter.CreateObservableGauge(TelemetryNames.SweepTrials, SweepGauges.Observe, "{trial}",
            "Trials of each sweep hosted here, by state (completed: every final trial).");
        Meter.CreateObservableGauge(TelemetryNames.SiloSlotsBusy, SlotGauges.ObserveBusy, "{slot}", "Trial slots running a trial.");
        Meter.CreateObservableGauge(TelemetryNames.SiloSlotsTotal, SlotGauges.ObserveTotal, "{slot}", "Trial slots of the worker.");
    }

    /// <summary>Steps and samples of one progress delta: two tag-free counter adds, no allocation.</summary>
    public static void RecordTraining(long steps, long samples)
    {
        TrainSteps.Add(steps);
        TrainSamples.Add(samples);
    }

    internal static KeyValuePair<string, object?> SweepTag(string sweepId) => new(TelemetryNames.Attributes.SweepId, sweepId);
}
