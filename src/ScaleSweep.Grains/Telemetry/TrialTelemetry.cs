using System.Diagnostics;
using System.Globalization;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Telemetry;
using ScaleSweep.Abstractions.Trials;
using Attr = ScaleSweep.Abstractions.Telemetry.TelemetryNames.Attributes;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>What a worker records per trial attempt: the <c>trial</c> span, the outcome counters and the duration.</summary>
internal static class TrialTelemetry
{
    /// <summary>
    /// Counts the start and opens the <c>trial</c> span as a child of the sweep's span (from the lease's traceparent),
    /// whichever silo the sweep lives on. Null when nobody listens to the source.
    /// </summary>
    public static Activity? Start(TrialLease lease, string workerId)
    {
        SweepInstruments.TrialsStarted.Add(1, SweepInstruments.SweepTag(lease.SweepId));
        if (!SweepInstruments.Source.HasListeners()) return null;
        ActivityContext.TryParse(lease.TraceParent, null, out var parent);
        var activity = SweepInstruments.Source.StartActivity(TelemetryNames.TrialSpan, ActivityKind.Internal, parent);
        if (activity is { IsAllDataRequested: true })
        {
            var spec = lease.Spec;
            activity.SetTag(Attr.SweepId, lease.SweepId);
            activity.SetTag(Attr.TrialKey, lease.Key);
            activity.SetTag(Attr.Parameterization, spec.Parameterization);
            activity.SetTag(Attr.Model, spec.Model.Kind);
            activity.SetTag(Attr.Width, spec.Model.Width);
            activity.SetTag(Attr.Depth, spec.Model.Depth);
            activity.SetTag(Attr.Lr, spec.Optim.Lr);
            activity.SetTag(Attr.Seed, spec.Seed);
            activity.SetTag(Attr.Attempt, lease.Attempt);
            activity.SetTag(Attr.Silo, workerId);
        }
        return activity;
    }

    /// <summary>Counts the outcome, records the duration and closes the span with the trial's status.</summary>
    public static void Finish(TrialLease lease, TrialResult? result, string? error, string stoppedAs, TimeSpan elapsed, Activity? activity)
    {
        var sweep = SweepInstruments.SweepTag(lease.SweepId);
        string status;
        if (result is not null)
        {
            status = result.Status.ToName();
            switch (result.Status)
            {
                case TrialStatus.Completed: SweepInstruments.TrialsCompleted.Add(1, sweep); break;
                case TrialStatus.Diverged: SweepInstruments.TrialsDiverged.Add(1, sweep); break;
                case TrialStatus.Failed: SweepInstruments.TrialsFailed.Add(1, sweep); break;
            }
            error ??= result.Error;
        }
        else if (error is not null)
        {
            status = TrialStatus.Failed.ToName();
            SweepInstruments.TrialsFailed.Add(1, sweep);
        }
        else
        {
            // Stopped before a result: cancelled sweep, lost lease or shutdown. Not an outcome; no duration either.
            status = stoppedAs;
        }
        if (result is not null || error is not null)
            SweepInstruments.TrialDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(Attr.Status, status));
        if (activity is null) return;
        activity.SetTag(Attr.Status, status);
        if (result?.Status == TrialStatus.Diverged && result.DivergedAtStep is { } at)
            activity.SetTag("diverged_at_step", at.ToString(CultureInfo.InvariantCulture));
        if (status == "failed") activity.SetStatus(ActivityStatusCode.Error, error);
        activity.Dispose();
    }
}
