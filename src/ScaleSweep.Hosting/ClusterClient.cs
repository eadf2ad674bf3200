using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ScaleSweep.Hosting;

/// <summary>An Orleans client connected to a Redis-clustered ScaleSweep cluster (submit, status, watch, cancel, list).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    /// <summary>
    /// A call that outlives this is retried (see <see cref="FailoverRetry"/>) rather than waiting out Orleans' 30 s
    /// default while the grain's silo is being declared dead.
    /// </summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

    private ClusterClient(IHost host, FailoverRetry retry)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
        Sweeps = new SweepClient(Grains, retry);
    }

    public IClusterClient Grains { get; }

    public SweepClient Sweeps { get; }

    /// <summary>Connects to the cluster whose membership is in <paramref name="redis"/> (<c>host:port</c>).</summary>
    /// <remarks>
    /// <paramref name="telemetry"/>: exporters of the client's spans and metrics (none by default).
    /// <paramref name="retry"/>: how long connecting and each operation wait out a failover (default 60 s).
    /// </remarks>
    public static async Task<ClusterClient> ConnectAsync(string redis, CancellationToken ct,
        string clusterId = ClusterNames.DefaultClusterId, string serviceId = ClusterNames.DefaultServiceId, TelemetryOptions? telemetry = null,
        FailoverRetry? retry = null)
    {
        retry ??= FailoverRetry.Default;
        var options = RedisAddress.Parse(redis);
        var connecting = Stopwatch.StartNew();
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
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.UseConnectionRetryFilter(async (error, token) =>
            {
                if (!retry.KeepsTrying(error, connecting.Elapsed, token)) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                return true;
            });
            client.AddActivityPropagation();
        });
        builder.AddScaleSweepTelemetry(telemetry, TelemetryRole.Client);
        var host = builder.Build();
        try
        {
            await host.StartAsync(ct);
        }
        catch (Exception ex) when (FailoverRetry.IsFailover(ex, ct))
        {
            host.Dispose();
            throw retry.Unavailable("connect", ex);
        }
        return new ClusterClient(host, retry);
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
