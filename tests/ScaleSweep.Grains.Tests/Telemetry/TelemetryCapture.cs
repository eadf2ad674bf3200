using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScaleSweep.Abstractions.Telemetry;

namespace ScaleSweep.Grains.Tests.Telemetry;

/// <summary>
/// OpenTelemetry providers of the test process with in-memory exporters. The silos of a TestCluster share the process,
/// and ScaleSweep's meter and source are process-wide, so one pair of providers sees every silo.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider _tracer;

    public TelemetryCapture()
    {
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(TelemetryNames.Meter)
            .AddInMemoryExporter(Metrics, reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000)
            .Build();
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(TelemetryNames.ActivitySource).AddInMemoryExporter(Spans).Build();
    }

    /// <summary>Every collection's snapshots, oldest first (cumulative: the last one of a stream holds its total).</summary>
    public List<MetricSnapshot> Metrics { get; } = [];

    public List<Activity> Spans { get; } = [];

    /// <summary>Collects now; returns the snapshots of this collection.</summary>
    public IReadOnlyList<MetricSnapshot> Collect()
    {
        var before = Metrics.Count;
        Assert.True(_meters.ForceFlush(10_000));
        return Metrics.Skip(before).ToArray();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _tracer.Dispose();
    }
}

/// <summary>Reading metric points by name and attribute.</summary>
internal static class MetricPoints
{
    public static IEnumerable<MetricPoint> Points(this IEnumerable<MetricSnapshot> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints);

    public static Dictionary<string, object?> Tags(this MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
        return tags;
    }

    public static bool Has(this MetricPoint point, string key, object value) => Equals(point.Tags().GetValueOrDefault(key), value);
}
