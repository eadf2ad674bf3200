using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScaleSweep.Hosting;

/// <summary>
/// One or more embedded-mode silos in this process (<c>scalesweep run</c>, the orchestration benchmark): localhost
/// clustering on free loopback ports, the first silo being the primary, memory grain storage, in-process workers.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private EmbeddedCluster(ImmutableArray<IHost> silos)
    {
        Silos = silos;
        Grains = silos[0].Services.GetRequiredService<IGrainFactory>();
        Sweeps = new SweepClient(Grains);
    }

    public ImmutableArray<IHost> Silos { get; }

    /// <summary>The first silo's grain factory: calls from here need no gateway.</summary>
    public IGrainFactory Grains { get; }

    public SweepClient Sweeps { get; }

    /// <summary>
    /// Starts <paramref name="silos"/> silos configured by <paramref name="options"/> (mode forced to embedded);
    /// <paramref name="services"/> adds host services to each, e.g. the TorchSharp trainer as <c>ITrialRunner</c>.
    /// </summary>
    public static async Task<EmbeddedCluster> StartAsync(int silos, SiloHostOptions options, Action<IServiceCollection>? services,
        LogLevel logLevel, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        var hosts = ImmutableArray.CreateBuilder<IHost>();
        int? primary = null;
        try
        {
            for (var i = 0; i < silos; i++)
            {
                var siloPort = FreePorts.Next();
                var host = SiloHost.Build(Copy(options, siloPort, primary), builder =>
                {
                    QuietLogging.Apply(builder.Logging, logLevel);
                    services?.Invoke(builder.Services);
                });
                await host.StartAsync(ct);
                hosts.Add(host);
                primary ??= siloPort;
            }
        }
        catch
        {
            foreach (var host in hosts) await StopAsync(host);
            throw;
        }
        return new EmbeddedCluster(hosts.ToImmutable());
    }

    public async ValueTask DisposeAsync()
    {
        // Secondaries first: the primary holds the membership table.
        foreach (var host in Silos.Reverse()) await StopAsync(host);
    }

    private static async Task StopAsync(IHost host)
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            host.Dispose();
        }
    }

    private static SiloHostOptions Copy(SiloHostOptions o, int siloPort, int? primary) => new()
    {
        Mode = HostingMode.Embedded,
        ClusterId = o.ClusterId,
        ServiceId = o.ServiceId,
        SiloPort = siloPort,
        GatewayPort = 0,
        PrimarySiloPort = primary,
        ResultsRoot = o.ResultsRoot,
        Slots = o.Slots,
        ThreadsPerTrial = o.ThreadsPerTrial,
        Device = o.Device,
        Prefetch = o.Prefetch,
        WorkerName = o.WorkerName is { } name && primary is not null ? $"{name}-{siloPort}" : o.WorkerName,
        LeaseDuration = o.LeaseDuration,
        RenewPeriod = o.RenewPeriod,
        FastFailover = o.FastFailover,
        // Meters and sources are process-wide: one set of providers (on the first silo) sees every silo's telemetry.
        Telemetry = primary is null ? o.Telemetry : null,
        DashboardPort = primary is null ? o.DashboardPort : null,
    };
}
