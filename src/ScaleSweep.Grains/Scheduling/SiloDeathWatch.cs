using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>
/// Runs on every silo: when membership declares a silo dead, tells the scheduler (<see cref="ISchedulerGrain.SilosLost"/>),
/// so the leases of that silo's workers end at once rather than when they expire and <c>running</c> counts only
/// living workers. Every silo sends it (the scheduler may be on the dead one); the call is idempotent.
/// </summary>
public sealed class SiloDeathWatch(IClusterMembershipService membership, IGrainFactory grains, ILogger<SiloDeathWatch> logger) : BackgroundService
{
    /// <summary>How long a death is retried while the scheduler itself moves to another silo.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var alive = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stopping))
            {
                // Only a silo seen alive and now dead is news: old entries of the table are not.
                var died = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && alive.Contains(m.SiloAddress)).Select(m => m.SiloAddress).ToArray();
                alive.Clear();
                alive.UnionWith(snapshot.Members.Values.Where(m => m.Status is not SiloStatus.Dead).Select(m => m.SiloAddress));
                if (died.Length > 0) _ = TellAsync([.. died.Select(s => s.ToParsableString())], stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task TellAsync(ImmutableArray<string> silos, CancellationToken stopping)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).SilosLost(silos);
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                {
                    logger.LogWarning(ex, "silo {Silos} died; its workers' leases will expire instead of ending now", string.Join(", ", silos));
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
