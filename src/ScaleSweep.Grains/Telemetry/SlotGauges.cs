using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ScaleSweep.Abstractions.Telemetry;

namespace ScaleSweep.Grains.Telemetry;

/// <summary>Busy and total slots of one worker; slot threads move <see cref="Busy"/> with interlocked adds.</summary>
internal sealed class WorkerSlots(string workerId, int total)
{
    private int _busy;

    public string WorkerId { get; } = workerId;

    public int Total { get; } = total;

    public int Busy => Volatile.Read(ref _busy);

    public void Enter() => Interlocked.Increment(ref _busy);

    public void Exit() => Interlocked.Decrement(ref _busy);
}

/// <summary>Process-local registry behind the <c>scalesweep.silo.slots.*</c> gauges: one entry per running worker.</summary>
internal static class SlotGauges
{
    private static readonly ConcurrentDictionary<string, WorkerSlots> Workers = new(StringComparer.Ordinal);

    public static void Register(WorkerSlots slots)
    {
        Workers[slots.WorkerId] = slots;
        // The gauges exist once the instruments' type is initialized; touching it here makes sure they do.
        _ = SweepInstruments.Meter;
    }

    public static void Unregister(WorkerSlots slots) => Workers.TryRemove(KeyValuePair.Create(slots.WorkerId, slots));

    public static IEnumerable<Measurement<int>> ObserveBusy() => Workers.Values.Select(w => new Measurement<int>(w.Busy, Silo(w)));

    public static IEnumerable<Measurement<int>> ObserveTotal() => Workers.Values.Select(w => new Measurement<int>(w.Total, Silo(w)));

    private static KeyValuePair<string, object?> Silo(WorkerSlots w) => new(TelemetryNames.Attributes.Silo, w.WorkerId);
}
