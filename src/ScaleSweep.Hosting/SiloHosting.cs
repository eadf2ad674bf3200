using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using ScaleSweep.Grains;
using ScaleSweep.Grains.Scheduling;

namespace ScaleSweep.Hosting;

/// <summary>Composes a ScaleSweep silo: clustering and storage by mode, endpoints, grains and the worker.</summary>
public static class SiloHosting
{
    /// <summary>Adds an Orleans silo configured by <paramref name="options"/> to the host.</summary>
    public static IHostApplicationBuilder AddScaleSweepSilo(this IHostApplicationBuilder builder, SiloHostOptions options)
    {
        if (options.Tls is { } tls)
        {
            builder.Services.AddHostedService(sp => new TlsRefusalLog(tls, sp.GetRequiredService<ILoggerFactory>()));
            // Orleans logs every failed handshake (probes, port scans) with a stack trace; TlsRefusalLog says why in one line.
            builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.Error);
        }
        builder.UseOrleans(silo =>
        {
            silo.UseScaleSweep(options);
            // Trace context crosses grain calls, so spans started by a client or another silo have the right parent.
            silo.AddActivityPropagation();
            // Cluster silos all carry the dashboard's services (its grain and per-silo service must exist on every
            // silo); only silos given a port serve it over HTTP.
            if (options.Mode == HostingMode.Cluster || options.DashboardPort is not null) silo.AddDashboard();
        });
        builder.AddScaleSweepTelemetry(options.Telemetry, TelemetryRole.Silo);
        return builder;
    }

    /// <summary>Clustering, storage, endpoints, grain services and the worker service for <paramref name="options"/>.</summary>
    public static ISiloBuilder UseScaleSweep(this ISiloBuilder silo, SiloHostOptions options)
    {
        var siloPort = FreePorts.OrFree(options.SiloPort);
        var gatewayPort = FreePorts.OrFree(options.GatewayPort);
        if (options.Mode == HostingMode.Embedded)
            silo.UseScaleSweepEmbedded(siloPort, gatewayPort, options);
        else
            silo.UseScaleSweepCluster(siloPort, gatewayPort, options);
        silo.Configure<ClusterMembershipOptions>(options.FastFailover ? FastFailover : Failover);
        // A call to a grain whose silo just died fails after this rather than Orleans' 30 s; callers retry.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
        silo.Services.AddScaleSweepGrains(
            results =>
            {
                results.Root = options.ResultsRoot;
                results.RestrictToRoot = options.Mode == HostingMode.Cluster;
            },
            lease =>
            {
                if (options.LeaseDuration is { } duration) lease.LeaseDuration = duration;
                if (options.RenewPeriod is { } period) lease.RenewPeriod = period;
                lease.AcknowledgeAfterWrite = options.Mode == HostingMode.Cluster;
            });
        silo.Services.AddHostedService<SiloDeathWatch>();
        silo.Services.AddScaleSweepWorker(worker =>
        {
            worker.Slots = options.Slots;
            worker.ThreadsPerTrial = options.ThreadsPerTrial;
            worker.Device = options.Device;
            worker.Prefetch = options.Prefetch;
            worker.Name = options.WorkerName;
            if (options.StopGrace is { } grace) worker.StopGrace = grace;
            // An embedded run executes the user's own spec on the user's own machine.
            worker.AllowCommands = options.AllowCommands || options.Mode == HostingMode.Embedded;
        });
        return silo;
    }

    /// <summary>Localhost clustering on the given loopback ports and in-memory grain storage.</summary>
    public static ISiloBuilder UseScaleSweepEmbedded(this ISiloBuilder silo, int siloPort, int gatewayPort, SiloHostOptions options)
    {
        var primary = options.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
        silo.UseLocalhostClustering(siloPort, gatewayPort, primary, options.ServiceId, options.ClusterId);
        silo.AddMemoryGrainStorage(StorageNames.Sweeps, o => o.Configure<IServiceProvider>((m, sp) => m.GrainStorageSerializer = BinarySerializer(sp)));
        return silo;
    }

    /// <summary>Redis membership and grain storage, endpoints on the advertised (and bound) address.</summary>
    public static ISiloBuilder UseScaleSweepCluster(this ISiloBuilder silo, int siloPort, int gatewayPort, SiloHostOptions options)
    {
        var redis = RedisAddress.Parse(options.Redis);
        var advertise = ParseAddress(options.Advertise, "--advertise");
        var bind = options.Bind is null ? advertise : ParseAddress(options.Bind, "--bind");
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        if (options.Tls is { } tls) silo.UseTls(tls.Certificate, tls.Configure);
        silo.AddRedisGrainStorage(StorageNames.Sweeps, o => o.Configure<IServiceProvider>((r, sp) =>
        {
            r.ConfigurationOptions = redis.Clone();
            r.GrainStorageSerializer = BinarySerializer(sp);
        }));
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = advertise;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(bind, siloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(bind, gatewayPort);
        });
        return silo;
    }

    /// <summary>How long a grain call from a silo (its worker, grain to grain) waits for an answer.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The default membership timing: a silo that stops answering is suspected after 3 missed 2 s probes and
    /// declared dead once two peers agree (or the only one left), ≈ 6 s; its grains come back on the next call,
    /// so a dead sweep host costs at most ≈ 15 s of leasing (docs/cluster.md). Orleans' own defaults take ≈ 15–60 s.
    /// Probes of 2 s still tolerate a GC pause or a loaded machine: a silo is only declared dead after ≈ 6 s of silence.
    /// </summary>
    public static void Failover(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(2);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Membership probes short enough that a killed silo is declared dead in a few seconds.</summary>
    public static void FastFailover(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
    }

    // Plans and progress use Orleans' own binary format: the records are [GenerateSerializer] types with
    // immutable collections, which the JSON serializers do not round-trip.
    private static IGrainStorageSerializer BinarySerializer(IServiceProvider services) =>
        new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

    internal static IPAddress ParseAddress(string text, string option) =>
        IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"{option}: '{text}' is not an IP address");
}
