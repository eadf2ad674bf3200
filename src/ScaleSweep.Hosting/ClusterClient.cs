using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ScaleSweep.Hosting;

/// <summary>An Orleans client connected to a Redis-clustered ScaleSweep cluster (submit, status, watch, cancel, list).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
        Sweeps = new SweepClient(Grains);
    }

    public IClusterClient Grains { get; }

    public SweepClient Sweeps { get; }

    /// <summary>Connects to the cluster whose membership is in <paramref name="redis"/> (<c>host:port</c>).</summary>
    /// <remarks><paramref name="telemetry"/>: exporters of the client's spans and metrics (none by default).</remarks>
    public static async Task<ClusterClient> ConnectAsync(string redis, CancellationToken ct,
        string clusterId = ClusterNames.DefaultClusterId, string serviceId = ClusterNames.DefaultServiceId, TelemetryOptions? telemetry = null)
    {
        var options = RedisAddress.Parse(redis);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        QuietLogging.Apply(builder.Logging, LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = options.Clone());
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.AddActivityPropagation();
        });
        builder.AddScaleSweepTelemetry(telemetry, TelemetryRole.Client);
        var host = builder.Build();
        await host.StartAsync(ct);
        return new ClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
