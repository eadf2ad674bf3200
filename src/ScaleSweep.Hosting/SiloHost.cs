using System.Net;
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
    /// With <see cref="SiloHostOptions.DashboardPort"/>, Kestrel serves the dashboard on the bind address (loopback
    /// unless <c>--advertise</c>/<c>--bind</c> say otherwise).
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
        app.MapOrleansDashboard();
        return app;
    }

    /// <summary>Where the dashboard listens: the silo's bind address, else its advertised one (embedded: loopback).</summary>
    public static IPAddress DashboardAddress(SiloHostOptions options) => options.Mode == HostingMode.Embedded
        ? IPAddress.Loopback
        : SiloHosting.ParseAddress(options.Bind ?? options.Advertise, options.Bind is null ? "--advertise" : "--bind");
}
