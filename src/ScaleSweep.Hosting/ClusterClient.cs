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

    /// <summary>Connects to the cluster whose membership is in <paramref name="redis"/> (a Redis configuration, see <see cref="RedisAddress"/>).</summary>
    /// <remarks>
    /// <paramref name="telemetry"/>: exporters of the client's spans and metrics (none by default).
    /// <paramref name="retry"/>: how long connecting and each operation wait out a failover (default 60 s).
    /// <paramref name="tls"/>: mutual TLS to the gateways (null: plain TCP).
    /// <paramref name="waiting"/>: told once when Redis does not answer at first and the client waits for it.
    /// </remarks>
    /// <exception cref="ClusterAccessDeniedException">Redis refused the credentials, or a gateway and this client refused each other's certificate.</exception>
    /// <exception cref="ClusterUnavailableException">Redis or the gateways did not answer within the retry's patience.</exception>
    public static async Task<ClusterClient> ConnectAsync(string redis, CancellationToken ct,
        string clusterId = ClusterNames.DefaultClusterId, string serviceId = ClusterNames.DefaultServiceId, TelemetryOptions? telemetry = null,
        FailoverRetry? retry = null, ClusterTls? tls = null, Action<string>? waiting = null)
    {
        retry ??= FailoverRetry.Default;
        var options = RedisAddress.Parse(redis);
        await RedisAccess.VerifyAsync(options, retry.Patience, waiting, ct);
        var connecting = Stopwatch.StartNew();
        IHost? built = null;
        string? refusal = null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        QuietLogging.Apply(builder.Logging, LogLevel.Error);
        // A failed start is reported below in one line; the host's own report is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // The TLS middleware logs each refused handshake with its stack trace; the refusal is reported below.
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.None);
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
                if (!retry.KeepsTrying(error, connecting.Elapsed, token) || tls?.Refusals.Last is not null) return false;
                // A refused certificate looks like a failed connection: ask the gateways before waiting it out.
                if (built is not null && await GatewayProbe.RefusalAsync(built.Services, tls, token) is { } why)
                {
                    refusal = why;
                    return false;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                return true;
            });
            client.AddActivityPropagation();
            if (tls is not null) client.UseTls(tls.Certificate, tls.Configure);
        });
        builder.AddScaleSweepTelemetry(telemetry, TelemetryRole.Client);
        var host = builder.Build();
        built = host;
        try
        {
            await host.StartAsync(ct);
        }
        catch (Exception ex) when (refusal is not null || tls?.Refusals.Last is not null || ClusterTls.IsRefusal(ex))
        {
            host.Dispose();
            throw new ClusterAccessDeniedException(refusal ?? TlsRefusalMessage(tls));
        }
        catch (Exception ex) when (FailoverRetry.IsFailover(ex, ct))
        {
            host.Dispose();
            throw retry.Unavailable("connect", ex);
        }
        return new ClusterClient(host, retry);
    }

    private static string TlsRefusalMessage(ClusterTls? tls) => tls?.Refusals.Last is { } why
        ? $"TLS: a gateway presented a certificate this client refuses: {why}"
        : tls is null
            ? "TLS: the gateway requires TLS: give --tls-cert/--tls-key (or --tls-pfx) and --tls-ca"
            : $"TLS: the gateway refused this client's certificate '{tls.Certificate.Subject}' (not signed by the cluster's CA?)";

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
