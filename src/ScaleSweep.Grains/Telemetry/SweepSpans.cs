using System.Diagnostics;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Telemetry;
using Attr = ScaleSweep.Abstractions.Telemetry.TelemetryNames.Attributes;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>The <c>sweep</c> span: opened at submission, closed when the results are finalized.</summary>
internal static class SweepSpans
{
    /// <summary>
    /// Opens the span, as a child of <paramref name="parent"/> when given (a continuation after the grain moved), else
    /// of the current activity (the incoming grain call, when Orleans propagates one). The span is kept open past the
    /// call, so it is never left as the current activity: later grain calls and timers must not nest under it.
    /// </summary>
    public static Activity? Start(string sweepId, SweepPlan plan, string? parent = null)
    {
        if (!SweepInstruments.Source.HasListeners()) return null;
        var previous = Activity.Current;
        var context = ActivityContext.TryParse(parent, null, out var parsed) ? parsed : default;
        var activity = SweepInstruments.Source.StartActivity(TelemetryNames.SweepSpan, ActivityKind.Internal, context);
        Activity.Current = previous;
        if (activity is null) return null;
        activity.SetTag(Attr.SweepId, sweepId);
        activity.SetTag(Attr.SweepName, plan.Name);
        activity.SetTag(Attr.SweepTrials, plan.Trials.Length);
        if (parent is not null) activity.SetTag(Attr.Continued, true);
        return activity;
    }

    /// <summary>Closes the span with the sweep's final state and counts.</summary>
    public static void Stop(Activity? activity, string status, int completed, int diverged, int failed, int cancelled)
    {
        if (activity is null) return;
        activity.SetTag(Attr.Status, status);
        activity.SetTag("trials.completed", completed);
        activity.SetTag("trials.diverged", diverged);
        activity.SetTag("trials.failed", failed);
        activity.SetTag("trials.cancelled", cancelled);
        activity.Stop();
    }
}
