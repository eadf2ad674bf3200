using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>
/// Workers the scheduler has heard from, and their quarantine. A worker is quarantined after failing
/// <see cref="SchedulerOptions.QuarantineAfterFailures"/> trials in a row, but only while another healthy worker is
/// alive: when every worker fails, the trials are at fault, not the workers, and max_attempts settles them.
/// </summary>
internal sealed class WorkerRegistry(SchedulerOptions options)
{
    private readonly Dictionary<string, Entry> _workers = new(StringComparer.Ordinal);

    /// <summary>Records a request; returns when the worker's quarantine ends, or null when it may lease.</summary>
    public DateTimeOffset? Observe(WorkerInfo worker, DateTimeOffset now)
    {
        if (!_workers.TryGetValue(worker.Id, out var entry)) _workers[worker.Id] = entry = new Entry();
        entry.Info = worker;
        entry.LastSeen = now;
        // A success resets the worker's streak: it starts counting from zero again.
        if (worker.FailureStreak < entry.StreakBaseline) entry.StreakBaseline = 0;
        if (entry.QuarantinedUntil > now) return entry.QuarantinedUntil;
        entry.QuarantinedUntil = null;
        if (worker.FailureStreak - entry.StreakBaseline >= options.QuarantineAfterFailures && AnotherHealthyWorker(worker.Id, now))
        {
            entry.StreakBaseline = worker.FailureStreak;
            entry.QuarantinedUntil = now + options.QuarantineFor;
            return entry.QuarantinedUntil;
        }
        return null;
    }

    public ImmutableArray<WorkerEntry> List(DateTimeOffset now)
    {
        foreach (var stale in _workers.Where(w => now - w.Value.LastSeen > 10 * options.WorkerTimeout).Select(w => w.Key).ToArray())
            _workers.Remove(stale);
        return [.. _workers.Values
            .Where(e => e.Info is not null)
            .OrderBy(e => e.Info!.Id, StringComparer.Ordinal)
            .Select(e => new WorkerEntry(e.Info!, e.LastSeen, e.QuarantinedUntil > now ? e.QuarantinedUntil : null))];
    }

    private bool AnotherHealthyWorker(string workerId, DateTimeOffset now) =>
        _workers.Any(w => w.Key != workerId
            && now - w.Value.LastSeen <= options.WorkerTimeout
            && !(w.Value.QuarantinedUntil > now)
            && w.Value.Info is { Slots: > 0 });

    private sealed class Entry
    {
        public WorkerInfo? Info { get; set; }
        public DateTimeOffset LastSeen { get; set; }
        public DateTimeOffset? QuarantinedUntil { get; set; }
        public int StreakBaseline { get; set; }
    }
}
