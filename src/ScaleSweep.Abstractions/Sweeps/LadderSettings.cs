namespace ScaleSweep.Abstractions.Sweeps;

/// <summary>
/// The <c>ladder</c> section of a spec (<c>strategy: ladder</c>): per ladder (a parameterization and every swept
/// value but the transfer axis, lr and seed), the smallest <see cref="FullScales"/> scales run the whole LR grid;
/// each later scale runs <see cref="Points"/> grid learning rates centred on the optimum predicted from the
/// scales below it, widened by two points while its minimum sits on an edge of its window.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LadderSettings(
    [property: Id(0)] int FullScales = LadderSettings.DefaultFullScales,
    [property: Id(1)] int Points = LadderSettings.DefaultPoints)
{
    public const int DefaultFullScales = 2;
    public const int DefaultPoints = 3;

    /// <summary>Successive halving inside a scale; null runs every planned trial to the end.</summary>
    [Id(2)] public PruneSettings? Prune { get; init; }
}

/// <summary>
/// <c>ladder.prune</c>: at fraction <see cref="At"/> of the steps, only the best <see cref="Keep"/> fraction of the
/// trials of each (ladder, scale, seed) go on; the others end <c>pruned</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PruneSettings(
    [property: Id(0)] double At = PruneSettings.DefaultAt,
    [property: Id(1)] double Keep = PruneSettings.DefaultKeep)
{
    public const double DefaultAt = 0.25;
    public const double DefaultKeep = 0.5;
}
