using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// The top-level <c>strategy</c> and the <c>ladder</c> section. <see cref="Read"/> checks the fields;
/// <see cref="Resolve"/>, once the grid and the transfer axis are known, checks that a ladder has something
/// to climb (the transfer axis swept) and gives the plan its <see cref="LadderSettings"/> (null for a grid).
/// </summary>
internal static class LadderSection
{
    private static readonly ValueRule FullScalesRule = new(true, v => v >= 1, "must be an integer ≥ 1");
    private static readonly ValueRule PointsRule = new(true, v => v >= 2, "must be an integer ≥ 2");
    private static readonly ValueRule OpenFraction = new(false, v => v is > 0 and < 1, "must be a number in (0, 1)");

    /// <summary>The strategy as written (null when absent or unknown) and the ladder section's settings (null when absent).</summary>
    public static (SweepStrategy? Strategy, LadderSettings? Ladder) Read(MappingReader top)
    {
        var name = top.Choice("strategy", SweepStrategy.Names);
        SweepStrategy.TryParse(name, out var strategy);
        var r = MappingReader.Open(top.Take("ladder"), top.PathOf("ladder"), top.Diag);
        if (r is null) return (strategy, null);
        var ladder = new LadderSettings();
        ladder = ladder with
        {
            FullScales = r.Int("full_scales", FullScalesRule) ?? ladder.FullScales,
            Points = r.Int("points", PointsRule) ?? ladder.Points,
            Prune = Prune(MappingReader.Open(r.Take("prune"), r.PathOf("prune"), r.Diag)),
        };
        r.RejectUnknown();
        return (strategy, ladder);
    }

    public static LadderSettings? Resolve(SweepSpec spec, SpecDiagnostics diag, (SweepStrategy? Strategy, LadderSettings? Ladder) read)
    {
        if (read.Strategy != SweepStrategy.Ladder)
        {
            // An unknown strategy is reported already; a ladder under grid (or no strategy) would be silently ignored.
            if (read.Ladder is not null && (read.Strategy == SweepStrategy.Grid || !diag.Has("strategy")))
                diag.Error("ladder", "only used with strategy: ladder");
            return null;
        }
        // lr is always swept (the grid requires it); the axis may be a default that is not.
        if (!spec.SweptKeys.Contains(spec.Transfer.Axis))
            diag.Error("strategy", $"ladder needs the transfer axis ({spec.Transfer.Axis}) swept in grid: it climbs that axis");
        // A rung leg stops a trial part-way, which only the built-in trainers can do; a program runs to its own end.
        if (read.Ladder?.Prune is not null && spec.Model.Kind == ModelKind.Command.Name)
            diag.Error("ladder.prune", "command trials cannot stop at a rung: prune needs a built-in model");
        return read.Ladder ?? new LadderSettings();
    }

    private static PruneSettings? Prune(MappingReader? r)
    {
        if (r is null) return null;
        var prune = new PruneSettings();
        prune = prune with
        {
            At = r.Number("at", OpenFraction) ?? prune.At,
            Keep = r.Number("keep", OpenFraction) ?? prune.Keep,
        };
        r.RejectUnknown();
        return prune;
    }
}
