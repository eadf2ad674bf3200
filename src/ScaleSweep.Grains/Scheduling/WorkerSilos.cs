using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>
/// Which silo each worker runs on, as last reported: when a silo is declared dead, the workers whose latest silo it
/// was lost their leases. A worker that restarts under the same name on a new silo reports the new address, so the
/// old silo's death no longer touches it.
/// </summary>
internal static class WorkerSilos
{
    /// <summary>Records <paramref name="worker"/>'s silo; true when the map changed (and should be persisted).</summary>
    public static bool Record(Dictionary<string, string> map, WorkerInfo worker)
    {
        if (worker.Silo is not { } silo || map.TryGetValue(worker.Id, out var known) && known == silo) return false;
        map[worker.Id] = silo;
        return true;
    }

    /// <summary>The workers whose latest silo is one of <paramref name="deadSilos"/>, in id order.</summary>
    public static ImmutableArray<string> On(IReadOnlyDictionary<string, string> map, IEnumerable<string> deadSilos)
    {
        var dead = deadSilos.ToHashSet(StringComparer.Ordinal);
        return [.. map.Where(w => dead.Contains(w.Value)).Select(w => w.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Forgets the workers of dead silos once their sweeps were told.</summary>
    public static bool Forget(Dictionary<string, string> map, IEnumerable<string> workers) =>
        workers.Aggregate(false, (changed, id) => map.Remove(id) | changed);
}
