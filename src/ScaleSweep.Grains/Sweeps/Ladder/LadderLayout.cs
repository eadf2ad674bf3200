using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Sweeps.Ladder;

/// <summary>
/// One ladder: the trials of a plan that share the parameterization and every swept value except the transfer axis,
/// lr and seed, laid out as scales (ascending) × learning rates (ascending in log2) with the plan indices of each
/// cell's seeds.
/// </summary>
internal sealed record LadderRungs(
    string Label,
    ImmutableArray<double> Scales,
    ImmutableArray<double> Log2Lrs,
    ImmutableArray<int>[,] Cells);

/// <summary>A plan cut into its ladders, derived from the trial specs alone (so every activation derives the same).</summary>
internal sealed class LadderLayout
{
    /// <summary>Log2 learning rates closer than this are one grid point (floating-point noise of log2).</summary>
    private const int LrDigits = 9;

    private LadderLayout(string axis, ImmutableArray<LadderRungs> ladders, ImmutableArray<int> seeds, ImmutableArray<int> steps)
    {
        Axis = axis;
        Ladders = ladders;
        Seeds = seeds;
        Steps = steps;
    }

    public string Axis { get; }

    public ImmutableArray<LadderRungs> Ladders { get; }

    /// <summary>Seed of each trial, by plan index.</summary>
    public ImmutableArray<int> Seeds { get; }

    /// <summary>Training steps of each trial, by plan index.</summary>
    public ImmutableArray<int> Steps { get; }

    public static LadderLayout Of(SweepPlan plan)
    {
        var axis = plan.Settings.Transfer.Axis;
        // The label names what sets a ladder apart: its parameterization and the other swept values.
        var others = plan.Settings.SweptKeys.Where(k => k != axis && k != "lr" && k != "seed").ToArray();
        var trials = plan.Trials.Select((t, i) =>
        {
            var row = TrialRows.Compose(t.Spec, new TrialAttempt("", t.Key, 1, "", default, default), TrialMeasurements.None(TrialStatus.Completed));
            var label = string.Join(" ", others.Select(k => $"{k}={Show(ScaleAxis.ValueOf(row, k) ?? double.NaN)}").Prepend(t.Spec.Parameterization));
            return (Index: i, Label: label, Scale: ScaleAxis.ValueOf(row, axis) ?? 0, Log2Lr: Math.Round(Math.Log2(t.Spec.Optim.Lr), LrDigits));
        }).ToArray();
        var ladders = trials
            .GroupBy(t => t.Label, StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.ToArray();
                var scales = members.Select(t => t.Scale).Distinct().Order().ToImmutableArray();
                var rates = members.Select(t => t.Log2Lr).Distinct().Order().ToImmutableArray();
                var cells = new List<int>[scales.Length, rates.Length];
                foreach (var t in members)
                    (cells[scales.IndexOf(t.Scale), rates.IndexOf(t.Log2Lr)] ??= []).Add(t.Index);
                var frozen = new ImmutableArray<int>[scales.Length, rates.Length];
                for (var s = 0; s < scales.Length; s++)
                    for (var j = 0; j < rates.Length; j++) frozen[s, j] = cells[s, j] is { } list ? [.. list] : [];
                return new LadderRungs(g.Key, scales, rates, frozen);
            })
            .ToImmutableArray();
        return new LadderLayout(axis, ladders, [.. plan.Trials.Select(t => t.Spec.Seed)], [.. plan.Trials.Select(t => t.Spec.Optim.Steps)]);
    }

    private static string Show(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
