using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Grains.Sweeps.Ladder;

/// <summary>
/// Successive halving inside a scale (<c>ladder.prune</c>): the trials of one seed in a scale's first window form a
/// group; each first runs a rung leg (the first <see cref="PruneSettings.At"/> of its steps); once every member has
/// a rung result the worst <c>floor(n · (1 − keep))</c> are cut (at least one is kept) and the rest run in full.
/// A pure function of the rung losses, so the cut is the same however often it is recomputed.
/// </summary>
internal static class LadderPruning
{
    /// <summary>The step a trial of <paramref name="steps"/> steps stops at for its rung; 0 when it is too short to have one.</summary>
    public static int RungStep(PruneSettings prune, int steps)
    {
        var rung = (int)Math.Round(prune.At * steps, MidpointRounding.AwayFromZero);
        return rung >= 1 && rung < steps ? rung : 0;
    }

    /// <summary>How many of a group of <paramref name="members"/> are cut.</summary>
    public static int CutCount(PruneSettings prune, int members) =>
        Math.Min((int)Math.Floor(members * (1 - prune.Keep) + 1e-9), members - 1);

    /// <summary>
    /// Where a member ranks at its rung: its rung loss; a member final without one ranks by what its row says (a
    /// completed full run was kept, so it ranks best; diverged, failed or pruned rank worst).
    /// </summary>
    public static double RankLoss(TrialStatus status, double rungLoss) =>
        !double.IsNaN(rungLoss) ? rungLoss
        : status == TrialStatus.Completed ? double.NegativeInfinity
        : double.PositiveInfinity;

    /// <summary>
    /// The loss a stored row gives the ladder: a completed trial's final loss, a pruned trial's loss at its rung;
    /// null for any other row or a loss that is not finite.
    /// </summary>
    public static double? StoredLoss(TrialResult row) => row.Status switch
    {
        TrialStatus.Completed => TrialLoss.Finite(row),
        TrialStatus.Pruned when (row.FinalEvalLoss ?? row.FinalTrainLoss) is { } loss && double.IsFinite(loss) => loss,
        _ => null,
    };

    /// <summary>True when the member has its rung result (or needs none any more: it is final).</summary>
    public static bool HasRung(TrialStatus status, double rungLoss) => !double.IsNaN(rungLoss) || status.IsFinal();

    /// <summary>
    /// The members cut from a group whose every member <see cref="HasRung"/>: the worst by rank loss, ties going
    /// to the later plan index.
    /// </summary>
    public static IEnumerable<int> Cut(IReadOnlyList<int> members, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> rungLosses, PruneSettings prune) =>
        members.OrderBy(i => RankLoss(statuses[i], rungLosses[i])).ThenBy(i => i).Skip(members.Count - CutCount(prune, members.Count));
}
