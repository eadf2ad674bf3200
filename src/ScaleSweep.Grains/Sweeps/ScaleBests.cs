using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// Keeps the best loss per (parameterization, scale value) as results complete: a short list (parameterizations ×
/// scales, tens of entries) scanned linearly, so a completion costs a few comparisons.
/// </summary>
internal static class ScaleBests
{
    /// <summary>Replaces the entry of the result's parameterization and scale when the result's loss is lower.</summary>
    public static void Offer(List<ScaleBest> best, TrialResult result, string axis)
    {
        if ((result.FinalEvalLoss ?? result.FinalTrainLoss) is not { } loss || !double.IsFinite(loss)) return;
        var (name, scale) = ScaleOf(result, axis);
        for (var i = 0; i < best.Count; i++)
        {
            var entry = best[i];
            if (entry.Parameterization != result.Parameterization || entry.Axis != name || entry.Scale != scale) continue;
            if (loss < entry.Loss) best[i] = entry with { Loss = loss, Lr = result.Lr };
            return;
        }
        best.Add(new ScaleBest(result.Parameterization, name, scale, loss, result.Lr));
    }

    public static ImmutableArray<ScaleBest> Sorted(List<ScaleBest> best) =>
        [.. best.OrderBy(b => b.Parameterization, StringComparer.Ordinal).ThenBy(b => b.Scale)];

    /// <summary>The value of the transfer axis for a result; width when the axis is not a value the result carries.</summary>
    public static (string Axis, double Scale) ScaleOf(TrialResult r, string axis) =>
        ScaleAxis.ValueOf(r, axis) is { } value ? (axis, value) : (ScaleAxis.Width.Name, r.Width);
}
