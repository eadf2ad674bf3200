namespace ScaleSweep.Abstractions.Telemetry;

/// <summary>
/// The names of ScaleSweep's telemetry (a public contract: dashboards, alerts and collectors use them), and of the
/// Orleans sources a host subscribes to. Names only: the instruments live with the code that records them, and no
/// OpenTelemetry SDK is needed to reference these. See docs/telemetry.md.
/// </summary>
public static class TelemetryNames
{
    /// <summary>Meter of every ScaleSweep instrument.</summary>
    public const string Meter = "ScaleSweep";

    /// <summary>ActivitySource of the <c>sweep</c> and <c>trial</c> spans.</summary>
    public const string ActivitySource = "ScaleSweep";

    /// <summary>Orleans' own meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: grain calls made by application code, and the runtime's own.</summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];

    // Counters (unit {trial}); attribute sweep.id.
    public const string TrialsStarted = "scalesweep.trials.started";
    public const string TrialsCompleted = "scalesweep.trials.completed";
    public const string TrialsDiverged = "scalesweep.trials.diverged";
    public const string TrialsFailed = "scalesweep.trials.failed";
    public const string TrialsRetried = "scalesweep.trials.retried";

    // Counters updated from the trainer's progress reports; no attributes (hot path).
    public const string TrainSteps = "scalesweep.train.steps";
    public const string TrainSamples = "scalesweep.train.samples";

    /// <summary>Histogram of trial wall time in seconds; attribute status.</summary>
    public const string TrialDuration = "scalesweep.trial.duration";

    /// <summary>Observable gauge: trials of a sweep by state; attributes sweep.id and state (pending|leased|completed).</summary>
    public const string SweepTrials = "scalesweep.sweep.trials";

    /// <summary>Observable gauges: busy and total trial slots of a silo's worker; attribute silo.</summary>
    public const string SiloSlotsBusy = "scalesweep.silo.slots.busy";
    public const string SiloSlotsTotal = "scalesweep.silo.slots.total";

    // Spans.
    public const string SweepSpan = "sweep";
    public const string TrialSpan = "trial";

    /// <summary>Attribute keys of the instruments and spans.</summary>
    public static class Attributes
    {
        public const string SweepId = "sweep.id";
        public const string SweepName = "sweep.name";
        public const string SweepTrials = "sweep.trials";
        public const string TrialKey = "trial.key";
        public const string Attempt = "trial.attempt";
        public const string Parameterization = "parameterization";
        public const string Model = "model";
        public const string Width = "width";
        public const string Depth = "depth";
        public const string Lr = "lr";
        public const string Seed = "seed";
        public const string Status = "status";
        public const string State = "state";
        public const string Silo = "silo";
        public const string Continued = "sweep.continued";
    }

    /// <summary>Values of the <c>state</c> attribute of <see cref="SweepTrials"/>; completed counts every final trial.</summary>
    public static class States
    {
        public const string Pending = "pending";
        public const string Leased = "leased";
        public const string Completed = "completed";
    }
}
