using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>A verdict and, when it is inconclusive, how many seeds per scale would likely settle it.</summary>
public sealed record Decision(TransferVerdict Verdict, int? SeedsToSettle);

/// <summary>
/// Turns the deciding figure (penalty or spread, "smaller is better") and its bootstrap interval into a verdict:
/// <c>transfers</c> when the whole interval is within the tolerance, <c>does_not_transfer</c> when the whole interval
/// is beyond it, <c>inconclusive</c> when it straddles it.
/// </summary>
public static class TransferDecision
{
    /// <summary>Above this many seeds the estimate is called unsettleable (the figure sits on the tolerance).</summary>
    public const int MaxSeedsToSettle = 1_000_000;

    public static Decision Decide(double figure, double low, double high, double tolerance, int seeds)
    {
        if (high <= tolerance) return new Decision(TransferVerdict.Transfers, null);
        if (low > tolerance) return new Decision(TransferVerdict.DoesNotTransfer, null);
        return new Decision(TransferVerdict.Inconclusive, SeedsToSettle(figure, low, high, tolerance, seeds));
    }

    /// <summary>
    /// The half-width on the tolerance's side of the figure shrinks like 1/√seeds: the smallest n' with
    /// half·√(n/n') below the gap between figure and tolerance. Null when the figure is on the tolerance.
    /// </summary>
    public static int? SeedsToSettle(double figure, double low, double high, double tolerance, int seeds)
    {
        var half = figure <= tolerance ? high - figure : figure - low;
        var gap = Math.Abs(tolerance - figure);
        if (!(gap > 0) || seeds < 1) return null;
        var needed = Math.Floor(seeds * Math.Pow(half / gap, 2)) + 1;
        return needed > MaxSeedsToSettle ? null : Math.Max(seeds + 1, (int)needed);
    }
}
