using ScaleSweep.Abstractions.Grains;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>The scheduler's persisted registry: every sweep seen, and which ones still want workers.</summary>
[GenerateSerializer]
public sealed class SchedulerState
{
    [Id(0)] public List<SweepEntry> Sweeps { get; set; } = [];
    [Id(1)] public List<string> Active { get; set; } = [];
}
