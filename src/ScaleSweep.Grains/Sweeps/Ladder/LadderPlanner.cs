using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Numerics;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Grains.Sweeps.Ladder;

/// <summary>Which trials of a plan a ladder wants run, and how far each ladder has climbed.</summary>
internal sealed record LadderDecision(bool[] Active, ImmutableArray<LadderStage> Stages);

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
    public static LadderDecision Plan(LadderLayout layout, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, LadderSettings settings)
    {
        var active = new bool[statuses.Count];
        var stages = ImmutableArray.CreateBuilder<LadderStage>(layout.Ladders.Length);
        foreach (var ladder in layout.Ladders) stages.Add(Climb(ladder, layout.Axis, statuses, losses, settings, active));
        return new LadderDecision(active, stages.MoveToImmutable());
    }

    private static LadderStage Climb(LadderRungs ladder, string axis, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, LadderSettings settings, bool[] active)
    {
        var rates = ladder.Log2Lrs.Length;
        var settled = new List<(double Log2Scale, double Log2Lr)>();
        var worst = double.NaN;
        // The full scales run side by side from the start; the others wait for every scale below them.
        var opened = Math.Min(settings.FullScales, ladder.Scales.Length);
        for (var s = 0; s < opened; s++) Activate(ladder, s, 0, rates - 1, active);
        var done = false;
        for (var s = 0; s < ladder.Scales.Length; s++)
        {
            var (lo, hi) = s < settings.FullScales ? (0, rates - 1) : Window(ladder.Log2Lrs, Predict(settled, Math.Log2(ladder.Scales[s]), ladder.Log2Lrs), settings.Points);
            opened = Math.Max(opened, s + 1);
            Optimum? optimum = null;
            var bracketed = false;
            while (true)
            {
                Activate(ladder, s, lo, hi, active);
                if (!AllFinal(ladder, s, lo, hi, statuses)) break;
                worst = Worst(ladder, s, lo, hi, statuses, losses, worst);
                optimum = OptimumEstimator.Estimate(Cells(ladder, s, lo, hi, statuses, losses, worst));
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

    private static void Activate(LadderRungs ladder, int s, int lo, int hi, bool[] active)
    {
        for (var j = lo; j <= hi; j++)
            foreach (var i in ladder.Cells[s, j]) active[i] = true;
    }

    private static bool AllFinal(LadderRungs ladder, int s, int lo, int hi, IReadOnlyList<TrialStatus> statuses)
    {
        for (var j = lo; j <= hi; j++)
            foreach (var i in ladder.Cells[s, j])
                if (!statuses[i].IsFinal()) return false;
        return true;
    }

    /// <summary>The worst finite loss of the ladder so far, including this window.</summary>
    private static double Worst(LadderRungs ladder, int s, int lo, int hi, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, double worst)
    {
        for (var j = lo; j <= hi; j++)
            foreach (var i in ladder.Cells[s, j])
                if (statuses[i] == TrialStatus.Completed && double.IsFinite(losses[i]) && !(losses[i] <= worst)) worst = losses[i];
        return worst;
    }

    /// <summary>Mean loss over seeds per learning rate of the window; cancelled trials say nothing and are left out.</summary>
    private static List<LossCell> Cells(LadderRungs ladder, int s, int lo, int hi, IReadOnlyList<TrialStatus> statuses, IReadOnlyList<double> losses, double worst)
    {
        var cells = new List<LossCell>(hi - lo + 1);
        for (var j = lo; j <= hi; j++)
        {
            double sum = 0;
            int n = 0, penalized = 0;
            foreach (var i in ladder.Cells[s, j])
            {
                if (statuses[i] == TrialStatus.Cancelled) continue;
                var finite = statuses[i] == TrialStatus.Completed && double.IsFinite(losses[i]);
                sum += finite ? losses[i] : worst;
                n++;
                if (!finite) penalized++;
            }
            if (n > 0) cells.Add(new LossCell(ladder.Log2Lrs[j], sum / n, n, penalized));
        }
        return cells;
    }
}
