using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Hosting;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>
/// Test silos: shared storage, fast failure detection, short leases, the scripted trainer, and the slots, device and
/// results root given by the cluster's properties.
/// </summary>
public sealed class TestSiloConfigurator : ISiloConfigurator
{
    public const string ResultsRoot = "ResultsRoot";
    public const string Slots = "Slots";
    public const string Device = "Device";

    public static readonly TimeSpan RenewPeriod = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    public void Configure(ISiloBuilder silo)
    {
        var config = silo.Configuration;
        silo.Configure<ClusterMembershipOptions>(SiloHosting.FastFailover);
        silo.Services.AddGrainStorage(StorageNames.Sweeps, (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>()));
        silo.Services.AddSingleton<ITrialRunner, ScriptedTrialRunner>();
        silo.Services.AddScaleSweepGrains(
            results => results.Root = config[ResultsRoot] ?? Path.GetTempPath(),
            lease =>
            {
                lease.LeaseDuration = LeaseDuration;
                lease.RenewPeriod = RenewPeriod;
                lease.FlushPeriod = TimeSpan.FromMilliseconds(200);
            });
        silo.Services.AddScaleSweepWorker(worker =>
        {
            worker.Slots = int.TryParse(config[Slots], out var slots) ? slots : 2;
            worker.Device = config[Device] ?? "cpu";
            worker.IdlePollMax = TimeSpan.FromMilliseconds(200);
            worker.StopGrace = TimeSpan.FromSeconds(2);
        });
    }
}
