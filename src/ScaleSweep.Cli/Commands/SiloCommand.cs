using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Grains.Workers;
using ScaleSweep.Hosting;
using ScaleSweep.Training.Commands;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep silo --redis H:P [--tls-cert F --tls-key F --tls-ca F] ...</c>: a cluster silo that hosts sweep grains and runs trials until stopped.</summary>
public static partial class SiloCommand
{
    public static Command Create()
    {
        var command = new Command("silo", "Run a cluster silo (Redis membership and storage) that hosts sweeps and runs trials until stopped.");
        var cluster = new ClusterFlags();
        var slots = new Option<int?>("--slots") { Description = "Trials at once (default: cores / --threads-per-trial; 0: host grains only)." };
        var threads = new Option<int>("--threads-per-trial") { Description = "Threads each trial uses.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port (0: any free port).", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Client gateway port (0: any free port).", DefaultValueFactory = _ => 30000 };
        var dashboardPort = new Option<int?>("--dashboard-port") { Description = "Serve the Orleans dashboard over HTTP on this port (on loopback unless --dashboard-bind; off unless given)." };
        var dashboard = new DashboardFlags();
        var console = TelemetryFlags.ConsoleOption();
        var advertise = new Option<string>("--advertise") { Description = "IP address peers and clients reach this silo on.", DefaultValueFactory = _ => "127.0.0.1" };
        var bind = new Option<string?>("--bind") { Description = "IP address to listen on (default: --advertise; 0.0.0.0 for every interface)." };
        var results = new Option<string>("--results") { Description = "Results root: each sweep writes a folder under it.", DefaultValueFactory = _ => "results" };
        var lease = new Option<double?>("--lease-duration") { Description = "Seconds a lease lasts without renewal (default 20)." };
        var renew = new Option<double?>("--renew-period") { Description = "Seconds between lease renewals (default 2): the cancellation latency." };
        var stopGrace = new Option<double?>("--stop-grace")
        {
            Description = "On SIGTERM, seconds running trials get to finish before their leases go back (default 10); no new lease is taken meanwhile.",
        };
        var prefetch = new Option<int>("--prefetch") { Description = "Trials leased ahead of free slots.", DefaultValueFactory = _ => 0 };
        var fast = new Option<bool>("--fast-failover") { Description = "Short membership probes: a dead silo is declared dead in seconds (small local clusters, tests)." };
        var name = new Option<string?>("--name") { Description = "Worker name (the results' silo column; default host:pid:random)." };
        var allowCommands = new Option<bool>(CommandPolicy.Flag)
        {
            Description = "Accept sweeps of model kind command and run their programs (arbitrary code from whoever can submit; off by default).",
        };
        foreach (var option in new Option[] { slots, threads, device, siloPort, gatewayPort, dashboardPort, advertise, bind, results, lease, renew, stopGrace, prefetch, fast, name, allowCommands, console })
            command.Options.Add(option);
        cluster.AddTo(command);
        dashboard.AddTo(command);

        command.SetAction(async (parse, ct) =>
        {
            var connection = cluster.Read(parse);
            var options = new SiloHostOptions
            {
                Mode = HostingMode.Cluster,
                Redis = connection.Redis,
                Tls = connection.Tls,
                Slots = parse.GetValue(slots),
                ThreadsPerTrial = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                SiloPort = parse.GetValue(siloPort),
                GatewayPort = parse.GetValue(gatewayPort),
                Advertise = parse.GetValue(advertise)!,
                Bind = parse.GetValue(bind),
                ResultsRoot = parse.GetValue(results)!,
                LeaseDuration = Seconds(parse.GetValue(lease), "--lease-duration"),
                RenewPeriod = Seconds(parse.GetValue(renew), "--renew-period"),
                StopGrace = Seconds(parse.GetValue(stopGrace), "--stop-grace", allowZero: true),
                Prefetch = parse.GetValue(prefetch),
                FastFailover = parse.GetValue(fast),
                WorkerName = parse.GetValue(name),
                DashboardPort = parse.GetValue(dashboardPort),
                AllowCommands = parse.GetValue(allowCommands),
                Telemetry = TelemetryFlags.Options(parse.GetValue(console)),
            };
            Validate(options);
            dashboard.Apply(parse, options);
            return await RunAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(SiloHostOptions options, CancellationToken ct)
    {
        IHost host;
        try
        {
            host = SiloHost.Build(options, builder =>
            {
                QuietLogging.Apply(builder.Logging, LogLevel.Information, orleansMinimum: LogLevel.Warning);
                builder.Services.AddSingleton<ITrialRunner, TorchTrialRunner>();
                builder.Services.AddSingleton<IPackRunner, PackedTrialRunner>();
                builder.Services.AddKeyedSingleton<ITrialRunner, CommandTrialRunner>(ModelKind.Command.Name);
            });
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        using var _ = host;
        foreach (var warning in SiloHost.StartWarnings(options)) Console.Error.WriteLine(warning);
        await SiloHost.VerifyAccessAsync(options, Console.Error.WriteLine, ct);
        await host.StartAsync(ct);
        var slots = options.Slots?.ToString() ?? "default";
        var dashboard = options.DashboardPort is { } port ? $", dashboard http://{SiloHost.DashboardAddress(options)}:{port}/" : "";
        Console.Out.WriteLine($"silo ready: {options.Advertise} silo port {options.SiloPort}, gateway {options.GatewayPort}, slots {slots} ({options.Device}), results under {Path.GetFullPath(options.ResultsRoot)}{dashboard}");
        // SIGTERM or Ctrl+C stops the application (the host's console lifetime); the worker drains while the silo
        // still serves its grains and reports, and only then does the silo leave the cluster.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
        using (ct.Register(() => stopping.TrySetResult()))
            await stopping.Task;
        await host.Services.GetRequiredService<WorkerService>().DrainAsync();
        await host.StopAsync(TimeSpan.FromSeconds(30));
        return CliRunner.Ok;
    }

    private static void Validate(SiloHostOptions o)
    {
        if (o.Slots is < 0) throw new UsageException("--slots: must be 0 or more");
        if (o.ThreadsPerTrial < 1) throw new UsageException("--threads-per-trial: must be at least 1");
        if (o.Prefetch < 0) throw new UsageException("--prefetch: must be 0 or more");
        if (!DevicePattern().IsMatch(o.Device)) throw new UsageException($"--device: '{o.Device}' is not cpu or cuda:N");
        if (o.SiloPort is < 0 or > 65535) throw new UsageException("--silo-port: must be a TCP port");
        if (o.GatewayPort is < 0 or > 65535) throw new UsageException("--gateway-port: must be a TCP port");
        if (o.DashboardPort is < 1 or > 65535) throw new UsageException("--dashboard-port: must be a TCP port");
        if (o.LeaseDuration is { } lease && o.RenewPeriod is { } renew && lease < 2 * renew)
            throw new UsageException("--lease-duration: must be at least twice --renew-period");
    }

    private static TimeSpan? Seconds(double? value, string option, bool allowZero = false) => value switch
    {
        null => null,
        0 when allowZero => TimeSpan.Zero,
        > 0 and < 86_400 => TimeSpan.FromSeconds(value.Value),
        _ => throw new UsageException($"{option}: must be a {(allowZero ? "non-negative" : "positive")} number of seconds"),
    };

    [GeneratedRegex("^(cpu|cuda:[0-9]+)$")]
    private static partial Regex DevicePattern();
}
