using ScaleSweep.Abstractions.Grains;
using Orleans.Runtime;
using Xunit.Abstractions;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Cluster;

/// <summary>Its own three-silo cluster: one silo is killed mid-sweep.</summary>
public sealed class SiloFailureFixture : ClusterFixture;

[CollectionDefinition(Name)]
public sealed class SiloFailureCollection : ICollectionFixture<SiloFailureFixture>
{
    public const string Name = "silo failure";
}

[Collection(SiloFailureCollection.Name)]
public class SiloFailureTests(SiloFailureFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_silo_mid_sweep_loses_and_duplicates_nothing()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("kill"), 72, workMs: 60);
        await fx.Grains.GetGrain<ISweepGrain>(plan.Name).Submit(plan);
        await Waits.ForStatus(fx.Grains, plan.Name, s => s.Counts.Completed >= 20, TimeSpan.FromSeconds(60));

        // Kill the secondary silo that hosts most of the sweep's grains, so their state has to be recovered.
        var management = fx.Grains.GetGrain<IManagementGrain>(0);
        var hosts = new List<SiloAddress>();
        foreach (var grain in new IAddressable[]
        {
            fx.Grains.GetGrain<ISweepGrain>(plan.Name),
            fx.Grains.GetGrain<IAggregatorGrain>(plan.Name),
            fx.Grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster),
        })
        {
            if (await management.GetActivationAddress(grain) is { } host) hosts.Add(host);
        }
        var victim = fx.Cluster.SecondarySilos.MaxBy(s => hosts.Count(h => h.Equals(s.SiloAddress)))!;
        output.WriteLine($"killing {victim.SiloAddress}, which hosts {hosts.Count(h => h.Equals(victim.SiloAddress))} of the sweep's grains");
        await fx.Cluster.KillSiloAsync(victim);

        var status = await Waits.ForFinalized(fx.Grains, plan.Name, TimeSpan.FromSeconds(90));
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(72, status.Counts.Completed);
        var rows = await StoredRows.ReadAsync(status);
        output.WriteLine($"retries {status.Retries}, rows by worker: {string.Join(", ", rows.GroupBy(r => r.Silo).Select(g => $"{g.Key}={g.Count()}"))}, attempts>1: {rows.Count(r => r.Attempt > 1)}");
        Assert.Equal(72, rows.Length);
        Assert.Equal(plan.Trials.Select(t => t.Key).Order(), rows.Select(r => r.TrialKey).Order());
    }
}
