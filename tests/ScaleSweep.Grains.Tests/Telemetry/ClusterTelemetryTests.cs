using System.Collections.Immutable;
using OpenTelemetry.Metrics;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Grains.Tests.Support;
using Attr = ScaleSweep.Abstractions.Telemetry.TelemetryNames.Attributes;
using N = ScaleSweep.Abstractions.Telemetry.TelemetryNames;

namespace ScaleSweep.Grains.Tests.Telemetry;

/// <summary>Metrics and spans of a sweep on two silos, read back through OpenTelemetry's in-memory exporters.</summary>
[Collection(TwoSiloCollection.Name)]
public class ClusterTelemetryTests(TwoSiloFixture fx)
{
    private const int Noop = 16;
    private const int Diverging = 2;
    private const int Steps = 10;
    private const int Batch = 8;

    [Fact]
    public async Task A_sweep_emits_the_documented_metrics_and_one_trace_across_both_silos()
    {
        using var capture = new TelemetryCapture();
        var plan = Plan(TestPlans.UniqueName("otel"));
        var id = plan.Name;
        await fx.Grains.GetGrain<ISweepGrain>(id).Submit(plan);

        // Mid-sweep: the gauges describe the sweep and both workers (collected until a slot is seen busy).
        var running = await CollectWhileRunningAsync(capture, id);
        var status = await Waits.ForFinalized(fx.Grains, id, TimeSpan.FromSeconds(60));
        var final = capture.Collect();

        Assert.Equal(Noop, status.Counts.Completed);
        Assert.Equal(Diverging, status.Counts.Diverged);
        Assert.Equal(1, status.Counts.Failed);

        // Counters carry sweep.id and add up to what the sweep saw: 2 attempts of the failing trial, 1 retry.
        var ours = (string name) => Sum(final.Points(name).Where(p => p.Has(Attr.SweepId, id)));
        Assert.Equal(Noop, ours(N.TrialsCompleted));
        Assert.Equal(Diverging, ours(N.TrialsDiverged));
        Assert.Equal(2, ours(N.TrialsFailed));
        Assert.Equal(1, ours(N.TrialsRetried));
        Assert.True(ours(N.TrialsStarted) >= plan.Trials.Length, $"started {ours(N.TrialsStarted)} < {plan.Trials.Length}");
        Assert.Equal(Noop + Diverging + 2, ours(N.TrialsStarted));
        foreach (var name in new[] { N.TrialsStarted, N.TrialsCompleted, N.TrialsDiverged, N.TrialsFailed, N.TrialsRetried })
            Assert.All(final.Points(name), p => Assert.Equal([Attr.SweepId], p.Tags().Keys));

        // Steps and samples: tag-free counters fed by progress deltas (noop reports all its steps, diverge 3).
        var steps = Sum(final.Points(N.TrainSteps));
        Assert.True(steps >= Noop * Steps + Diverging * 3, $"steps {steps}");
        Assert.Equal(steps * Batch, Sum(final.Points(N.TrainSamples)));
        Assert.All(final.Points(N.TrainSteps), p => Assert.Empty(p.Tags()));

        // Duration: one observation per attempt with an outcome, by status, in seconds.
        var durations = final.Points(N.TrialDuration).ToArray();
        Assert.All(durations, p => Assert.Equal([Attr.Status], p.Tags().Keys));
        Assert.True(durations.Sum(p => p.GetHistogramCount()) >= Noop + Diverging + 2);
        Assert.Equal("s", final.Single(m => m.Name == N.TrialDuration).Unit);

        // Gauges: the sweep's trials by state while it ran, and at the end all of them completed (final).
        var midSweep = running.Points(N.SweepTrials).Where(p => p.Has(Attr.SweepId, id)).ToArray();
        Assert.Equal(["completed", "leased", "pending"], midSweep.Select(p => (string)p.Tags()[Attr.State]!).Order());
        Assert.All(midSweep, p => Assert.Equal([Attr.State, Attr.SweepId], p.Tags().Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(plan.Trials.Length, midSweep.Sum(p => p.GetGaugeLastValueLong()));
        var atEnd = final.Points(N.SweepTrials).Where(p => p.Has(Attr.SweepId, id)).ToDictionary(p => (string)p.Tags()[Attr.State]!, p => p.GetGaugeLastValueLong());
        Assert.Equal(plan.Trials.Length, atEnd["completed"]);
        Assert.Equal(0, atEnd["pending"] + atEnd["leased"]);
        var totals = running.Points(N.SiloSlotsTotal).ToArray();
        Assert.All(totals.Concat(running.Points(N.SiloSlotsBusy)), p => Assert.Equal([Attr.Silo], p.Tags().Keys));
        var silos = totals.Where(p => p.GetGaugeLastValueLong() == 2).Select(p => (string)p.Tags()[Attr.Silo]!).ToHashSet();
        Assert.True(silos.Count >= 2, $"slot gauges of {silos.Count} workers");
        Assert.True(running.Points(N.SiloSlotsBusy).Sum(p => p.GetGaugeLastValueLong()) > 0);

        // Spans: one sweep span, and every trial span its child in the same trace, whichever silo ran it.
        var sweep = Assert.Single(capture.Spans, s => s.OperationName == N.SweepSpan && Equals(s.GetTagItem(Attr.SweepId), id));
        Assert.Equal("completed", sweep.GetTagItem(Attr.Status));
        var trials = capture.Spans.Where(s => s.OperationName == N.TrialSpan && Equals(s.GetTagItem(Attr.SweepId), id)).ToArray();
        Assert.Equal(Noop + Diverging + 2, trials.Length);
        Assert.All(trials, t =>
        {
            Assert.Equal(sweep.TraceId, t.TraceId);
            Assert.Equal(sweep.SpanId, t.ParentSpanId);
            foreach (var key in new[] { Attr.TrialKey, Attr.Parameterization, Attr.Width, Attr.Depth, Attr.Lr, Attr.Seed, Attr.Status })
                Assert.NotNull(t.GetTagItem(key));
        });
        var ranOn = trials.Select(t => (string)t.GetTagItem(Attr.Silo)!).ToHashSet();
        Assert.True(ranOn.Count == 2, $"trials ran on {string.Join(", ", ranOn)}: both silos should have run some");
        Assert.Subset(silos, ranOn);
        Assert.Equal(Diverging, trials.Count(t => Equals(t.GetTagItem(Attr.Status), "diverged")));
        Assert.Equal(2, trials.Count(t => Equals(t.GetTagItem(Attr.Status), "failed")));
    }

    /// <summary>Collects every 20 ms until a collection shows the sweep with leased trials and a busy slot.</summary>
    private async Task<IReadOnlyList<MetricSnapshot>> CollectWhileRunningAsync(TelemetryCapture capture, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var metrics = capture.Collect();
            var leased = metrics.Points(N.SweepTrials).Where(p => p.Has(Attr.SweepId, id) && p.Has(Attr.State, "leased")).Sum(p => p.GetGaugeLastValueLong());
            var busy = metrics.Points(N.SiloSlotsBusy).Sum(p => p.GetGaugeLastValueLong());
            if (leased > 0 && busy > 0) return metrics;
            var status = await fx.Grains.GetGrain<ISweepGrain>(id).GetStatus();
            Assert.True(status.Counts.Final < status.Counts.Total && DateTime.UtcNow < deadline,
                $"never saw the sweep running with a busy slot (leased {leased}, busy {busy}, {status.Counts})");
            await Task.Delay(20);
        }
    }

    /// <summary>16 noop trials (80 ms each: both silos get some), 2 that diverge, 1 that always throws (2 attempts).</summary>
    private static SweepPlan Plan(string name)
    {
        var noop = Enumerable.Range(0, Noop).Select(i => TestPlans.Spec("noop", 64 << (i % 4), Math.Pow(2, -4 - i / 4), workMs: 80));
        var diverge = Enumerable.Range(0, Diverging).Select(i => TestPlans.Spec("diverge", 64, Math.Pow(2, -1 - i)));
        var failing = new[] { TestPlans.Spec("throw", 64, 0.5) };
        var trials = noop.Concat(diverge).Concat(failing).Select(TestPlans.Planned).ToImmutableArray();
        return TestPlans.Make(name, trials, maxAttempts: 2);
    }

    private static long Sum(IEnumerable<MetricPoint> points) => points.Sum(p => p.GetSumLong());
}
