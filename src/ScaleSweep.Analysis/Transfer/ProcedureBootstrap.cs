using System.Collections.Immutable;
using ScaleSweep.Abstractions.Numerics;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>The figures of the whole procedure on each bootstrap replicate (replicates where some scale has no optimum are dropped).</summary>
public sealed record ProcedureReplicates(ImmutableArray<Line> Lines, ImmutableArray<double> Penalties, ImmutableArray<double> Spreads);

/// <summary>
/// Seed bootstrap of the whole transfer procedure, not of one η* at a time: each replicate resamples the seeds
/// of every scale with replacement (the same draw for every learning rate of a scale), re-estimates every η*, and
/// recomputes the fit and its prediction, the transfer penalty and the spread from them. The fit's weights are
/// those of the full data, held fixed, so the replicates differ only by the data.
/// </summary>
public static class ProcedureBootstrap
{
    /// <param name="grids">The scales the analysis kept, ascending.</param>
    /// <param name="fit">Whether to refit the law on each replicate (false when a scale ≤ 0 leaves no log2 axis).</param>
    public static ProcedureReplicates Run(IReadOnlyList<SeedLossGrid> grids, IReadOnlyList<double> weights, bool fit, TransferOptions options, int rngSeed)
    {
        var random = new Random(rngSeed);
        var lines = ImmutableArray.CreateBuilder<Line>();
        var penalties = ImmutableArray.CreateBuilder<double>();
        var spreads = ImmutableArray.CreateBuilder<double>();
        var draws = grids.Select(g => new int[g.Seeds.Length]).ToArray();
        var curves = new ScaleCurve[grids.Count];
        for (var b = 0; b < options.Resamples; b++)
        {
            var complete = true;
            for (var s = 0; s < grids.Count; s++)
            {
                // Every scale draws on every replicate, so one scale's failure does not shift the others' draws.
                for (var i = 0; i < draws[s].Length; i++) draws[s][i] = random.Next(draws[s].Length);
                var cells = grids[s].CellsFor(draws[s]);
                if (OptimumEstimator.Estimate(cells) is { } optimum) curves[s] = new ScaleCurve(grids[s].Scale, cells, optimum);
                else complete = false;
            }
            if (!complete) continue;
            penalties.Add(TransferPenalty.Largest(curves));
            spreads.Add(curves.Max(c => c.Optimum.Log2LrOpt) - curves.Min(c => c.Optimum.Log2LrOpt));
            if (fit && OptimumLaw.Fit(curves, weights) is { } line) lines.Add(line);
        }
        return new ProcedureReplicates(lines.ToImmutable(), penalties.ToImmutable(), spreads.ToImmutable());
    }

    /// <summary>The (low, high) percentile interval of <paramref name="values"/>; null when there are none.</summary>
    public static (double Low, double High)? Interval(IEnumerable<double> values, TransferOptions options)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        return (SeedBootstrap.Percentile(sorted, options.LowerPercentile), SeedBootstrap.Percentile(sorted, options.UpperPercentile));
    }
}
