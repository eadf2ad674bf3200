namespace ScaleSweep.Hosting;

/// <summary>Everything that shapes a ScaleSweep silo: clustering, endpoints, results root and its trial slots.</summary>
public sealed class SiloHostOptions
{
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Redis configuration, <c>host:port</c> or a StackExchange.Redis configuration string (cluster mode).</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = ClusterNames.DefaultClusterId;

    public string ServiceId { get; set; } = ClusterNames.DefaultServiceId;

    /// <summary>Embedded mode with several silos in one process: the first silo's port (null = this is the first).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Address other silos and clients use to reach this one. Loopback unless told otherwise.</summary>
    public string Advertise { get; set; } = "127.0.0.1";

    /// <summary>Address the silo listens on; null = the advertised one (<c>0.0.0.0</c> for every interface).</summary>
    public string? Bind { get; set; }

    /// <summary>Folder results folders are created under.</summary>
    public string ResultsRoot { get; set; } = "results";

    /// <summary>Trial slots; null = cores / threads per trial, 0 = only host grains.</summary>
    public int? Slots { get; set; }

    public int ThreadsPerTrial { get; set; } = 1;

    /// <summary><c>cpu</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Leases fetched ahead of free slots.</summary>
    public int Prefetch { get; set; }

    /// <summary>Worker id (the results' <c>silo</c> column); null = host:pid:random.</summary>
    public string? WorkerName { get; set; }

    public TimeSpan? LeaseDuration { get; set; }

    public TimeSpan? RenewPeriod { get; set; }

    /// <summary>On a stop (SIGTERM), how long running trials get to finish before their leases go back; null = the worker's default (10 s).</summary>
    public TimeSpan? StopGrace { get; set; }

    /// <summary>Declare a dead silo dead within seconds (short membership probes): tests and one-machine clusters.</summary>
    public bool FastFailover { get; set; }

    /// <summary>Mutual TLS between silos and with clients (cluster mode); null = plain TCP.</summary>
    public ClusterTls? Tls { get; set; }

    /// <summary>Port of the Orleans dashboard (HTTP); null = no dashboard endpoint.</summary>
    public int? DashboardPort { get; set; }

    /// <summary>Accept and run command trials (arbitrary programs): <c>--allow-commands</c>. Embedded silos always do.</summary>
    public bool AllowCommands { get; set; }

    /// <summary>Address the dashboard listens on; null = loopback, whatever the silo binds to.</summary>
    public string? DashboardBind { get; set; }

    /// <summary>Basic-authentication credentials of the dashboard; required when it listens beyond loopback.</summary>
    public DashboardCredentials? DashboardCredentials { get; set; }

    /// <summary>Exporters of this silo's metrics and traces; null or none enabled = no OpenTelemetry SDK.</summary>
    public TelemetryOptions? Telemetry { get; set; }
}
