using System.CommandLine;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Hosting;

namespace ScaleSweep.Cli.Commands;

/// <summary>The sweep id argument and the connection shared by the cluster commands.</summary>
internal static class ClusterAccess
{
    public static Argument<string> SweepIdArgument() => new("ID") { Description = "Sweep id (as printed by submit)." };

    /// <summary>
    /// Connects a client. <paramref name="traced"/>: export its spans over OTLP when configured (submit, cancel); the
    /// polling commands stay untraced so a watcher does not add a trace per poll. Never the console exporter: these
    /// commands' stdout is their answer.
    /// </summary>
    public static Task<ClusterClient> ConnectAsync(ClusterConnection connection, CancellationToken ct, bool traced = false)
    {
        var telemetry = traced ? TelemetryOptions.FromEnvironment() : null;
        if (telemetry is not null) telemetry.Console = false;
        return ClusterClient.ConnectAsync(connection.Redis, ct, telemetry: telemetry, tls: connection.Tls, waiting: Console.Error.WriteLine);
    }

    /// <summary>The sweep's status; an unknown id is a usage error (exit 2).</summary>
    public static async Task<SweepStatus> RequireStatusAsync(SweepClient sweeps, string id)
    {
        var status = await sweeps.StatusAsync(id);
        if (status.State == SweepState.Unknown) throw new UsageException($"no sweep with id '{id}'");
        return status;
    }
}

/// <summary>The <c>--telemetry-console</c> flag of <c>silo</c> and <c>run</c>, and the exporters a command gets.</summary>
internal static class TelemetryFlags
{
    public static Option<bool> ConsoleOption() => new("--telemetry-console")
    {
        Description = $"Print metrics and spans with OpenTelemetry's console exporter on stdout (or set {TelemetryOptions.ConsoleVariable}=1). " +
            "OTLP export is on when OTEL_EXPORTER_OTLP_ENDPOINT is set.",
    };

    /// <summary>
    /// Exporters from the environment and the flag. The console exporter writes to stdout, so it cannot share it with
    /// <c>--json</c>: the flag is refused there, the environment variable ignored with a warning.
    /// </summary>
    public static TelemetryOptions Options(bool consoleFlag, bool json = false)
    {
        if (consoleFlag && json) throw new UsageException("--telemetry-console prints on stdout: it cannot be combined with --json");
        var options = TelemetryOptions.FromEnvironment(consoleFlag);
        if (json && options.Console)
        {
            Console.Error.WriteLine($"warning: {TelemetryOptions.ConsoleVariable} is ignored with --json (stdout carries the JSON document)");
            options.Console = false;
        }
        return options;
    }
}
