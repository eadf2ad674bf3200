namespace ScaleSweep.Grains;

/// <summary>Grain storage provider names the hosts must register.</summary>
public static class StorageNames
{
    /// <summary>Sweep plans and progress, and the scheduler's registry.</summary>
    public const string Sweeps = "sweeps";
}
