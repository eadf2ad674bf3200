using System.Collections.Immutable;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>Workers lost with their silo: their leases end at once instead of when they expire.</summary>
internal sealed partial class SweepBook
{
    /// <summary>
    /// Ends every lease held by one of <paramref name="workerIds"/> as a failed attempt ("silo lost"), so the trials
    /// are pending again and only living workers' leases count as running. Returns how many leases ended; a repeat
    /// finds none.
    /// </summary>
    public int LoseWorkers(ImmutableArray<string> workerIds, DateTimeOffset now)
    {
        var lost = workerIds.ToHashSet(StringComparer.Ordinal);
        var ended = Progress.Leases.Where(l => lost.Contains(l.Value.Worker)).ToArray();
        foreach (var (i, lease) in ended) FailAttempt(i, $"silo lost: worker {lease.Worker}'s silo was declared dead", now);
        if (ended.Length > 0) _nextExpiry = Progress.Leases.Count == 0 ? DateTimeOffset.MaxValue : Progress.Leases.Values.Min(l => l.ExpiresAt);
        return ended.Length;
    }
}
