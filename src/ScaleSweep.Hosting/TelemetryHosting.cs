using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ScaleSweep.Abstractions.Telemetry;

namespace ScaleSweep.Hosting;

/// <summary>Where a process sits in the cluster: decides which Orleans sources it traces.</summary>
public enum TelemetryRole
{
    Silo,
    Client,
}

/// <summary>Registers the OpenTelemetry SDK for ScaleSweep's and Orleans' meters and sources, when an exporter is configured.</summary>
public static class TelemetryHosting
{
    /// <summary>
    /// Metrics: the ScaleSweep meter, Orleans' meter and the .NET runtime's. Traces: the ScaleSweep source and Orleans'
    /// (a silo also traces the runtime's internal calls). Nothing is registered when <paramref name="options"/> has no
    /// exporter. The providers belong to the host: disposing it flushes what is left.
    /// </summary>
    public static IHostApplicationBuilder AddScaleSweepTelemetry(this IHostApplicationBuilder builder, TelemetryOptions? options, TelemetryRole role)
    {
        if (options is not { Enabled: true }) return builder;
        // The SDK and the OTLP exporter read OTEL_* through IConfiguration; hosts built with DisableDefaults have none.
        builder.Configuration.AddEnvironmentVariables();
        var sources = role == TelemetryRole.Silo ? TelemetryNames.OrleansActivitySources : TelemetryNames.OrleansActivitySources.Take(1);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, autoGenerateServiceInstanceId: !EnvironmentNamesInstance())
                .AddAttributes([new("scalesweep.role", role == TelemetryRole.Silo ? "silo" : "client")]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TelemetryNames.Meter);
                if (options.IncludeOrleans) metrics.AddMeter(TelemetryNames.OrleansMeter).AddRuntimeInstrumentation();
                if (options.Console) metrics.AddConsoleExporter();
                options.ConfigureMetrics?.Invoke(metrics);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(TelemetryNames.ActivitySource);
                if (options.IncludeOrleans) tracing.AddSource([.. sources]);
                if (options.Console) tracing.AddConsoleExporter();
                options.ConfigureTracing?.Invoke(tracing);
            });
        if (options.Otlp)
        {
            // One call for every signal, so the signal-specific OTEL_EXPORTER_OTLP_{TRACES,METRICS}_* variables work.
            telemetry.UseOtlpExporter();
            // It also enables logs; ScaleSweep exports metrics and traces only (logs stay on stderr).
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(_ => false);
        }
        return builder;
    }

    private static bool EnvironmentNamesInstance() =>
        Environment.GetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES")?.Contains("service.instance.id=", StringComparison.Ordinal) == true;
}
