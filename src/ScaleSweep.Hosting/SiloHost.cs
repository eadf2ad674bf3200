using System.Net;
using ScaleSweep.Abstractions.Vocabulary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace ScaleSweep.Hosting;

/// <summary>Builds the host of one silo: a plain generic host, or a slim web host when the silo serves the Orleans dashboard.</summary>
public static class SiloHost
{
    /// <summary>
    /// The silo configured by <paramref name="options"/>; <paramref name="configure"/> runs first (logging, the trainer).
    /// With <see cref="SiloHostOptions.DashboardPort"/>, Kestrel serves the dashboard on loopback, or on
    /// <see cref="SiloHostOptions.DashboardBind"/> behind basic authentication: a silo bound to the network does not
    /// open its dashboard to the network unless told to.
    /// </summary>
    public static IHost Build(SiloHostOptions options, Action<IHostApplicationBuilder>? configure = null)
    {
        if (options.DashboardPort is not { } port)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            configure?.Invoke(builder);
            builder.AddScaleSweepSilo(options);
            return builder.Build();
        }
        if (port is < 0 or > 65535) throw new ArgumentException($"--dashboard-port: {port} is not a TCP port");
        var address = DashboardAddress(options);
        var web = WebApplication.CreateSlimBuilder();
        // Only the dashboard endpoint: no URLs or ports from ASPNETCORE_* (the aspnet image sets HTTP_PORTS=8080).
        web.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "").UseSetting(WebHostDefaults.HttpPortsKey, "").UseSetting(WebHostDefaults.HttpsPortsKey, "");
        web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        configure?.Invoke(web);
        web.AddScaleSweepSilo(options);
        var app = web.Build();
        if (options.DashboardCredentials is { } credentials) app.Use(credentials.Guard);
        app.MapOrleansDashboard();
        return app;
    }

    /// <summary>
    /// Where the dashboard listens: loopback unless <c>--dashboard-bind</c> says otherwise; beyond loopback only with
    /// credentials (an <see cref="ArgumentException"/> otherwise).
    /// </summary>
    public static IPAddress DashboardAddress(SiloHostOptions options)
    {
        if (options.Mode == HostingMode.Embedded || options.DashboardBind is null) return IPAddress.Loopback;
        var address = SiloHosting.ParseAddress(options.DashboardBind, "--dashboard-bind");
        if (!IPAddress.IsLoopback(address) && options.DashboardCredentials is null)
            throw new ArgumentException($"--dashboard-bind: a dashboard on {address} needs credentials (set {DashboardCredentials.Variable}=user:password or --dashboard-credentials FILE)");
        return address;
    }

    /// <summary>
    /// Checks, before the silo starts, that Redis answers (waiting for it as a client waits out a failover, telling
    /// <paramref name="waiting"/>) and accepts the credentials (<see cref="ClusterAccessDeniedException"/>). Cluster
    /// mode only.
    /// </summary>
    public static Task VerifyAccessAsync(SiloHostOptions options, Action<string> waiting, CancellationToken ct) => options.Mode == HostingMode.Cluster
        ? RedisAccess.VerifyAsync(RedisAddress.Parse(options.Redis), FailoverRetry.Default.Patience, waiting, ct)
        : Task.CompletedTask;

    /// <summary>
    /// Warnings printed at start: a silo reachable from the network without protection, and a GPU silo, whose GPU
    /// only command trials use (the built-in trainer does not place its models on a GPU yet).
    /// </summary>
    public static IEnumerable<string> StartWarnings(SiloHostOptions options)
    {
        if (options.Mode != HostingMode.Cluster) yield break;
        if (DeviceKind.IsCuda(options.Device))
            yield return $"warning: --device {options.Device}: built-in trials train on this silo's CPU; only command trials use the GPU (CUDA_VISIBLE_DEVICES)";
        if (options.Tls is not null) yield break;
        var bind = options.Bind ?? options.Advertise;
        if (IPAddress.TryParse(bind, out var address) && !IPAddress.IsLoopback(address))
            yield return $"warning: this silo listens on {address} without TLS: anyone who reaches its ports can submit, cancel or rewrite sweeps (see --tls-cert/--tls-key/--tls-ca)";
    }
}
