using System.Collections;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ScaleSweep.Hosting;

/// <summary>
/// Which OpenTelemetry exporters a process uses. With none, the SDK is not registered at all: the instruments stay
/// unobserved no-ops. OTLP is on when the standard endpoint variables are set; the exporter itself reads the rest of
/// the <c>OTEL_*</c> variables (protocol, headers, signal-specific endpoints, export interval).
/// </summary>
public sealed class TelemetryOptions
{
    public const string DefaultServiceName = "scalesweep";

    /// <summary>Set to 1 (or true) for the console exporter, as <c>--telemetry-console</c> does.</summary>
    public const string ConsoleVariable = "SCALESWEEP_TELEMETRY_CONSOLE";

    /// <summary>Any of these set turns OTLP on.</summary>
    public static readonly IReadOnlyList<string> OtlpEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    public bool Otlp { get; set; }

    /// <summary>Metrics and spans printed on stdout by OpenTelemetry's console exporter.</summary>
    public bool Console { get; set; }

    /// <summary>Also subscribe to Orleans' meter and activity sources and the .NET runtime's metrics (default on).</summary>
    public bool IncludeOrleans { get; set; } = true;

    /// <summary><c>service.name</c>: <c>OTEL_SERVICE_NAME</c>, else <see cref="DefaultServiceName"/>.</summary>
    public string ServiceName { get; set; } = DefaultServiceName;

    /// <summary>Extra tracing pipeline parts (the telemetry benchmark's in-memory exporter, tests).</summary>
    public Action<TracerProviderBuilder>? ConfigureTracing { get; set; }

    /// <summary>Extra metrics pipeline parts (the telemetry benchmark's in-memory exporter, tests).</summary>
    public Action<MeterProviderBuilder>? ConfigureMetrics { get; set; }

    public bool Enabled => Otlp || Console || ConfigureTracing is not null || ConfigureMetrics is not null;

    /// <summary>Options from the process environment (or <paramref name="environment"/>), with the console flag of a command.</summary>
    public static TelemetryOptions FromEnvironment(bool consoleFlag = false, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? Get(string name) => environment[name] as string is { Length: > 0 } value ? value.Trim() : null;
        var console = Get(ConsoleVariable);
        return new TelemetryOptions
        {
            Otlp = OtlpEndpointVariables.Any(v => Get(v) is not null),
            Console = consoleFlag || console is "1" || string.Equals(console, "true", StringComparison.OrdinalIgnoreCase),
            ServiceName = Get("OTEL_SERVICE_NAME") ?? DefaultServiceName,
        };
    }
}
