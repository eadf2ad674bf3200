using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>Polling helpers with a deadline and a useful failure message.</summary>
internal static class Waits
{
    public static async Task<SweepStatus> ForStatus(IGrainFactory grains, string sweepId, Func<SweepStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepStatus status;
        while (true)
        {
            status = await grains.GetGrain<ISweepGrain>(sweepId).GetStatus();
            if (done(status)) return status;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {sweepId} did not reach the expected state in {timeout}: {status.State} {status.Counts} finalized={status.Finalized}");
            await Task.Delay(50);
        }
    }

    public static Task<SweepStatus> ForFinalized(IGrainFactory grains, string sweepId, TimeSpan timeout) =>
        ForStatus(grains, sweepId, s => s.Finalized, timeout);
}
