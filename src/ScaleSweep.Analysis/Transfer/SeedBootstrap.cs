namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// Percentile bootstrap of η* over seeds: resample the seeds at one scale with replacement (the same draw for
/// every learning rate, so a seed's whole curve moves together), re-estimate η*, take percentiles.
/// </summary>
public static class SeedBootstrap
{
    /// <summary>The (low, high) percentile interval of η*, or null when no resample has an optimum.</summary>
    public static (double Low, double High)? Interval(SeedLossGrid grid, TransferOptions options, int rngSeed)
    {
        var n = grid.Seeds.Length;
        if (n == 0) return null;
        var random = new Random(rngSeed);
        var draw = new int[n];
        var estimates = new List<double>(options.Resamples);
        for (var b = 0; b < options.Resamples; b++)
        {
            for (var i = 0; i < n; i++) draw[i] = random.Next(n);
            if (OptimumEstimator.Estimate(grid.CellsFor(draw)) is { } optimum) estimates.Add(optimum.Log2LrOpt);
        }
        if (estimates.Count == 0) return null;
        estimates.Sort();
        return (Percentile(estimates, options.LowerPercentile), Percentile(estimates, options.UpperPercentile));
    }

    /// <summary>Linear interpolation between order statistics (the common "type 7" definition).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 1) return sorted[0];
        var position = Math.Clamp(percent / 100.0, 0, 1) * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>A seed for one interval that depends only on its labels, so results do not depend on analysis order.</summary>
    public static int StableSeed(int baseSeed, params string[] labels)
    {
        // FNV-1a: string.GetHashCode is randomized per process.
        var hash = 2166136261u ^ (uint)baseSeed;
        foreach (var ch in string.Join("\u001f", labels))
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return (int)(hash & 0x7fffffff);
    }
}
