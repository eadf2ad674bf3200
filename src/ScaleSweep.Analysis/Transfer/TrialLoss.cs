using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>The loss a trial contributes to the analysis.</summary>
public static class TrialLoss
{
    /// <summary>
    /// Final eval loss (final train loss when the trial had no evaluation) of a completed trial with a finite
    /// loss; null for every other trial.
    /// </summary>
    public static double? Finite(TrialResult t) =>
        t.Status == TrialStatus.Completed && (t.FinalEvalLoss ?? t.FinalTrainLoss) is { } loss && double.IsFinite(loss) ? loss : null;

    /// <summary>
    /// Cancelled trials say nothing about the learning rate and are left out. Diverged, failed and pruned trials
    /// (a ladder stopped them at their rung: worse than every kept one), and completed trials without a finite
    /// loss, count as the worst loss (the caller's penalty).
    /// </summary>
    public static bool IsExcluded(TrialResult t) => t.Status == TrialStatus.Cancelled;
}
