using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Trainability;

/// <summary>
/// From the trials of a σ_w² × depth sweep to the rows <see cref="TrainabilityAnalysis"/> takes: the trials that say
/// something about trainability, the value of another swept key that ξ_c depends on, one accuracy per cell.
/// </summary>
public static class TrainabilityTrials
{
    /// <summary>The results column of the swept weight variance (grid key <c>sigma_w2</c>).</summary>
    public const string SigmaW2Column = "sigma_w2";

    /// <summary>Completed and diverged trials; failed and cancelled ones say nothing about trainability.</summary>
    /// <exception cref="TrainabilityInputException">A usable trial has no σ_w² value.</exception>
    public static TrialResult[] Usable(IEnumerable<TrialResult> trials)
    {
        var usable = trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Diverged).ToArray();
        if (usable.Any(t => !t.Extra.ContainsKey(SigmaW2Column)))
            throw new TrainabilityInputException("the results have no sigma_w2 column: trainability needs a sweep over grid.sigma_w2 and depth");
        return usable;
    }

    /// <summary>The trials at learning rate <paramref name="lr"/>, to a relative 1e-9 (the grid computed the stored value).</summary>
    public static TrialResult[] AtLearningRate(IEnumerable<TrialResult> trials, double lr) =>
        trials.Where(t => Math.Abs(t.Lr - lr) <= 1e-9 * lr).ToArray();

    /// <summary>The value of a swept key other than σ_w² and depth: one value is fine, several need one folder each.</summary>
    /// <returns>null when no trial has the key.</returns>
    /// <exception cref="TrainabilityInputException">The trials hold several values of <paramref name="key"/>.</exception>
    public static double? Swept(IReadOnlyList<TrialResult> trials, string key)
    {
        var values = trials.Where(t => t.Extra.ContainsKey(key)).Select(t => t.Extra[key]).Distinct().ToArray();
        return values.Length switch
        {
            0 => null,
            1 => values[0],
            _ => throw new TrainabilityInputException($"the sweep varies {key} as well: ξ_c depends on it, analyse one value per results folder"),
        };
    }

    /// <summary>
    /// One row per (σ_w², depth): accuracy averaged over seeds, the best LR when several were swept. A diverged trial
    /// did not train: it counts as chance, and so does a trial without an eval accuracy.
    /// </summary>
    public static IReadOnlyList<TrainabilityRow> Rows(IReadOnlyList<TrialResult> usable, double chance)
    {
        double Accuracy(TrialResult t) => t.Status == TrialStatus.Diverged ? chance : t.EvalAccuracy ?? chance;
        return usable
            .GroupBy(t => (SigmaW2: t.Extra[SigmaW2Column], t.Depth))
            .Select(cell => new TrainabilityRow(cell.Key.SigmaW2, cell.Key.Depth,
                cell.GroupBy(t => t.Lr).Max(seeds => seeds.Average(Accuracy))))
            .ToList();
    }
}
