using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Numerics;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Grains.Sweeps.Ladder;

/// <summary>
/// Which trials of a plan a ladder wants run, and how far each ladder has climbed. With pruning, by plan index:
/// <see cref="RungStep"/> where a trial runs a rung leg first (0: none), <see cref="Held"/> for a trial whose rung
/// is done while its group's is not, <see cref="Pruned"/> for a trial its group cut that is not final yet.
/// </summary>
internal sealed record LadderDecision(bool[] Active, ImmutableArray<LadderStage> Stages, int[] RungStep, bool[] Held, bool[] Pruned);

/// <summary>
/// The ladder strategy as a pure function of the trials' outcomes so far: given the same final statuses and losses
/// it activates the same trials, so a sweep that restarts (or resumes from stored rows) re-derives its plan.
/// </summary>
/// <remarks>
/// Per ladder, scales run in ascending order. The smallest <see cref="LadderSettings.FullScales"/> get the whole LR
/// grid. Each later scale opens once every scale below it is settled, with <see cref="LadderSettings.Points"/> grid
/// learning rates centred on the η* predicted by a least-squares line of log2 η* against log2 scale through the
/// settled scales. A scale whose best mean loss lies on an edge of its window grows by two points that way (never
/// past the grid) and is settled once its minimum is bracketed or the window reaches the grid's bound. Diverged
/// and failed trials count as the worst finite loss seen so far in the ladder, as in the transfer analysis.
/// Every decision reads only trials that were final when it was taken, so recomputing it later gives the same.
/// </remarks>
internal static class LadderPlanner
{
    /// <summary>How far a window grows at a time when its minimum is on an edge.</summary>
    public const int Growth = 2;

    /// <param name="statuses">Status per plan index.</param>
    /// <param name="losses">Final loss per plan index (NaN unless the trial completed with a finite loss).</param>
    /// <param name="rungLosses">Loss at the rung per plan index (NaN: no rung result); only read with pruning.</param>
    public static LadderDecision Plan(LadderLayout layout, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, LadderSettings settings, IReadOnlyList<double>? rungLosses = null)
    {
        var n = statuses.Count;
        var decision = new LadderDecision(new bool[n], [], new int[n], new bool[n], new bool[n]);
        var climb = new Climber(layout, statuses, losses, rungLosses ?? [.. Enumerable.Repeat(double.NaN, n)], settings, decision);
        var stages = ImmutableArray.CreateBuilder<LadderStage>(layout.Ladders.Length);
        foreach (var ladder in layout.Ladders) stages.Add(climb.Climb(ladder));
        return decision with { Stages = stages.MoveToImmutable() };
    }

    /// <summary>
    /// The log2 η* predicted at <paramref name="log2Scale"/>: the least-squares line through the settled scales,
    /// their one η* when only one has an optimum, the middle of the grid when none has.
    /// </summary>
    public static double Predict(IReadOnlyList<(double Log2Scale, double Log2Lr)> settled, double log2Scale, ImmutableArray<double> log2Lrs)
    {
        if (settled.Count == 0) return (log2Lrs[0] + log2Lrs[^1]) / 2;
        var xs = settled.Select(p => p.Log2Scale).ToArray();
        var ys = settled.Select(p => p.Log2Lr).ToArray();
        if (LeastSquares.Slope(xs, ys) is not { } slope) return ys.Average();
        return ys.Average() + slope * (log2Scale - xs.Average());
    }

    /// <summary>
    /// <paramref name="points"/> consecutive grid indices centred on the grid point nearest <paramref name="log2Lr"/>
    /// (an even count leans up), shifted to fit inside the grid.
    /// </summary>
    public static (int Lo, int Hi) Window(ImmutableArray<double> log2Lrs, double log2Lr, int points)
    {
        var n = log2Lrs.Length;
        if (points >= n) return (0, n - 1);
        var centre = 0;
        for (var j = 1; j < n; j++)
        {
            if (Math.Abs(log2Lrs[j] - log2Lr) < Math.Abs(log2Lrs[centre] - log2Lr)) centre = j;
        }
        var lo = Math.Clamp(centre - (points - 1) / 2, 0, n - points);
        return (lo, lo + points - 1);
    }

    /// <summary>One planning pass over the outcomes, writing into the decision's arrays.</summary>
    private sealed class Climber(LadderLayout layout, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, IReadOnlyList<double> rungLosses, LadderSettings settings, LadderDecision decision)
    {
        public LadderStage Climb(LadderRungs ladder)
        {
            var axis = layout.Axis;
            var active = decision.Active;
            var rates = ladder.Log2Lrs.Length;
            var settled = new List<(double Log2Scale, double Log2Lr)>();
            var worst = double.NaN;
            // The full scales run side by side from the start; the others wait for every scale below them.
            var opened = Math.Min(settings.FullScales, ladder.Scales.Length);
            for (var s = 0; s < opened; s++)
            {
                Activate(ladder, s, 0, rates - 1, active);
                Prune(ladder, s, 0, rates - 1);
            }
            var done = false;
            for (var s = 0; s < ladder.Scales.Length; s++)
            {
                var (lo, hi) = s < settings.FullScales ? (0, rates - 1) : Window(ladder.Log2Lrs, Predict(settled, Math.Log2(ladder.Scales[s]), ladder.Log2Lrs), settings.Points);
                // Only a scale's first window is pruned: the points added to bracket its minimum run in full.
                if (s >= settings.FullScales) Prune(ladder, s, lo, hi);
                opened = Math.Max(opened, s + 1);
                Optimum? optimum = null;
                var bracketed = false;
                while (true)
                {
                    Activate(ladder, s, lo, hi, active);
                    if (!AllFinal(ladder, s, lo, hi)) break;
                    worst = Worst(ladder, s, lo, hi, worst);
                    optimum = OptimumEstimator.Estimate(Cells(ladder, s, lo, hi, worst));
                    // Every seed penalized: nothing trains here, so look lower (a too-large LR is what usually diverges).
                    var best = optimum is null ? lo : ladder.Log2Lrs.IndexOf(optimum.Log2LrGridMin);
                    if (best == lo && lo > 0) lo = Math.Max(0, lo - Growth);
                    else if (best == hi && hi < rates - 1) hi = Math.Min(rates - 1, hi + Growth);
                    else
                    {
                        bracketed = true;
                        break;
                    }
                }
                if (!bracketed) break;
                if (optimum is not null) settled.Add((Math.Log2(ladder.Scales[s]), optimum.Log2LrOpt));
                done = s == ladder.Scales.Length - 1;
            }
            return new LadderStage(ladder.Label, axis, ladder.Scales[opened - 1], opened, ladder.Scales.Length, done);
        }

        private static void Activate(LadderRungs ladder, int s, int lo, int hi, bool[] active)
        {
            for (var j = lo; j <= hi; j++)
                foreach (var i in ladder.Cells[s, j]) active[i] = true;
        }

        /// <summary>Rung steps of the window's trials, and per seed, once every member has its rung result, the cut.</summary>
        private void Prune(LadderRungs ladder, int s, int lo, int hi)
        {
            if (settings.Prune is not { } prune) return;
            var members = new List<int>();
            for (var j = lo; j <= hi; j++)
                foreach (var i in ladder.Cells[s, j])
                {
                    decision.RungStep[i] = LadderPruning.RungStep(prune, layout.Steps[i]);
                    if (decision.RungStep[i] > 0) members.Add(i);
                }
            foreach (var group in members.GroupBy(i => layout.Seeds[i]))
            {
                var seed = group.ToList();
                if (!seed.All(i => LadderPruning.HasRung(statuses[i], rungLosses[i])))
                {
                    foreach (var i in seed) decision.Held[i] = !statuses[i].IsFinal() && !double.IsNaN(rungLosses[i]);
                    continue;
                }
                foreach (var i in LadderPruning.Cut(seed, statuses, rungLosses, prune))
                    decision.Pruned[i] = !statuses[i].IsFinal();
            }
        }

        /// <summary>Final, or cut at its rung (about to be marked pruned).</summary>
        private bool IsFinal(int i) => statuses[i].IsFinal() || decision.Pruned[i];

        private bool AllFinal(LadderRungs ladder, int s, int lo, int hi)
        {
            for (var j = lo; j <= hi; j++)
                foreach (var i in ladder.Cells[s, j])
                    if (!IsFinal(i)) return false;
            return true;
        }

        private bool HasFiniteLoss(int i) => statuses[i] == TrialStatus.Completed && !decision.Pruned[i] && double.IsFinite(losses[i]);

        /// <summary>The worst finite loss of the ladder so far, including this window.</summary>
        private double Worst(LadderRungs ladder, int s, int lo, int hi, double worst)
        {
            for (var j = lo; j <= hi; j++)
                foreach (var i in ladder.Cells[s, j])
                    if (HasFiniteLoss(i) && !(losses[i] <= worst)) worst = losses[i];
            return worst;
        }

        /// <summary>
        /// Mean loss over seeds per learning rate of the window: diverged, failed and pruned trials take the worst loss;
        /// cancelled trials say nothing and are left out.
        /// </summary>
        private List<LossCell> Cells(LadderRungs ladder, int s, int lo, int hi, double worst)
        {
            var cells = new List<LossCell>(hi - lo + 1);
            for (var j = lo; j <= hi; j++)
            {
                double sum = 0;
                int n = 0, penalized = 0;
                foreach (var i in ladder.Cells[s, j])
                {
                    if (statuses[i] == TrialStatus.Cancelled) continue;
                    var finite = HasFiniteLoss(i);
                    sum += finite ? losses[i] : worst;
                    n++;
                    if (!finite) penalized++;
                }
                if (n > 0) cells.Add(new LossCell(ladder.Log2Lrs[j], sum / n, n, penalized));
            }
            return cells;
        }
    }
}
