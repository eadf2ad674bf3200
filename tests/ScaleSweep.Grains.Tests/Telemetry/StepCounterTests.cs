using OpenTelemetry;
using OpenTelemetry.Metrics;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Telemetry;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Tests.Telemetry;

/// <summary>The per-step path: what a worker does with each progress report while an SDK listens.</summary>
public class StepCounterTests
{
    [Fact]
    public void Progress_reports_add_their_step_deltas_without_allocating()
    {
        var metrics = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(TelemetryNames.Meter).AddInMemoryExporter(metrics).Build();
        var spec = TestPlans.Spec("noop", 64, 0.01) with { Optim = new OptimConfig("adam", 0.01, Steps: 20_000, Batch: 32) };
        var trial = new ActiveTrial(new TrialLease("alloc", TrialKey.For(spec), 1, 1, spec));
        var reports = Enumerable.Range(1, 20_000).Select(step => new TrialProgress(step, 20_000, 1.0)).ToArray();
        trial.OnProgress(reports[0]);
        provider.ForceFlush();
        var stepsBefore = Total(metrics, TelemetryNames.TrainSteps);
        metrics.Clear();

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < reports.Length; i++) trial.OnProgress(reports[i]);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(0, allocated);
        provider.ForceFlush();
        Assert.Equal(reports.Length - 1, Total(metrics, TelemetryNames.TrainSteps) - stepsBefore);
        Assert.Equal(32L * (reports.Length - 1), Total(metrics, TelemetryNames.TrainSamples) - 32 * stepsBefore);
        Assert.Same(reports[^1], trial.Progress);
    }

    /// <summary>The cumulative total of a tag-free counter in the latest collection.</summary>
    private static long Total(List<MetricSnapshot> metrics, string name) =>
        metrics.Last(m => m.Name == name).MetricPoints.Sum(p => p.GetSumLong());
}
