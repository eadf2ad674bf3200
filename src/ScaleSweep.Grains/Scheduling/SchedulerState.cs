using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>The scheduler's persisted registry: every sweep seen, and which ones still want workers.</summary>
[GenerateSerializer]
public sealed class SchedulerState
{
    [Id(0)] public List<SweepEntry> Sweeps { get; set; } = [];
    [Id(1)] public List<string> Active { get; set; } = [];

    /// <summary>Worker id → its silo's address (see <see cref="WorkerSilos"/>): persisted, since the scheduler may be on the silo that died.</summary>
    [Id(2)] public Dictionary<string, string> WorkerSilos { get; set; } = [];
}
