namespace ScaleSweep.Grains.Workers;

/// <summary>The trial slots of one silo.</summary>
public sealed class WorkerOptions
{
    /// <summary>Trials run at once; null = processor count / <see cref="ThreadsPerTrial"/> (at least 1). 0 = host grains only.</summary>
    public int? Slots { get; set; }

    public int ThreadsPerTrial { get; set; } = 1;

    /// <summary><c>cpu</c> or <c>cuda:N</c>: cuda trials are only leased to a cuda worker.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Worker id and the <c>silo</c> column of its results; null = host:pid:random.</summary>
    public string? Name { get; set; }

    /// <summary>Trials leased ahead of free slots, so a slot that frees up starts the next trial without a round trip.</summary>
    public int Prefetch { get; set; }

    /// <summary>Back-off between work requests while no sweep has work (doubles up to the maximum).</summary>
    public TimeSpan IdlePollMin { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan IdlePollMax { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A drain (<see cref="WorkerService.DrainAsync"/>, SIGTERM of a silo): how long running trials get to finish before
    /// they are stopped and their leases released. A plain stop: how long they get to notice cancellation.
    /// </summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Run (and, on the sweep's silo, accept) command trials: see <see cref="CommandPolicy"/>.</summary>
    public bool AllowCommands { get; set; }

    public int EffectiveSlots => Slots ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, ThreadsPerTrial));
}
