using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>
/// One parameterization's losses along one axis: a <see cref="SeedLossGrid"/> per scale. Diverged and failed
/// trials take <see cref="Penalty"/>, the largest finite loss of the parameterization's completed trials, so they
/// rank with the worst observed loss and cannot pull the optimum towards them.
/// </summary>
public sealed record LossLandscape(
    string Parameterization,
    string Axis,
    double Penalty,
    ImmutableArray<SeedLossGrid> Scales,
    ImmutableArray<string> Warnings)
{
    /// <summary>Log2 learning rates closer than this are the same grid point (floating-point noise of log2).</summary>
    private const int LrDigits = 9;

    public static LossLandscape Build(string parameterization, IEnumerable<TrialResult> trials, string axis)
    {
        var mine = trials.Where(t => t.Parameterization == parameterization && !TrialLoss.IsExcluded(t)).ToArray();
        var finite = mine.Select(TrialLoss.Finite).OfType<double>().ToArray();
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (finite.Length == 0)
        {
            warnings.Add($"{parameterization}: no completed trial with a finite loss; nothing to analyse");
            return new LossLandscape(parameterization, axis, double.NaN, [], warnings.ToImmutable());
        }
        var penalty = finite.Max();
        var usable = mine.Where(t => ScaleAxis.ValueOf(t, axis) is not null && t.Lr > 0 && double.IsFinite(t.Lr)).ToArray();
        var mixed = new SortedSet<string>(StringComparer.Ordinal);
        var grids = usable
            .GroupBy(t => ScaleAxis.ValueOf(t, axis)!.Value)
            .OrderBy(g => g.Key)
            .Select(g => BuildGrid(g.Key, g.ToArray(), penalty, axis, mixed))
            .ToImmutableArray();
        if (mixed.Count > 0)
            warnings.Add($"{parameterization}: {string.Join(", ", mixed)} vary within cells of the same {axis}, learning rate and seed; their losses are averaged");
        return new LossLandscape(parameterization, axis, penalty, grids, warnings.ToImmutable());
    }

    private static SeedLossGrid BuildGrid(double scale, TrialResult[] trials, double penalty, string axis, SortedSet<string> mixed)
    {
        var rates = trials.Select(t => Math.Round(t.Log2Lr, LrDigits)).Distinct().Order().ToImmutableArray();
        var seeds = trials.Select(t => t.Seed).Distinct().Order().ToImmutableArray();
        var loss = new double[seeds.Length, rates.Length];
        var penalized = new bool[seeds.Length, rates.Length];
        for (var i = 0; i < seeds.Length; i++)
        {
            for (var j = 0; j < rates.Length; j++) loss[i, j] = double.NaN;
        }
        foreach (var cell in trials.GroupBy(t => (t.Seed, Lr: Math.Round(t.Log2Lr, LrDigits))))
        {
            var members = cell.ToArray();
            if (members.Length > 1) mixed.UnionWith(VaryingColumns(members, axis));
            var i = seeds.IndexOf(cell.Key.Seed);
            var j = rates.IndexOf(cell.Key.Lr);
            loss[i, j] = members.Average(t => TrialLoss.Finite(t) ?? penalty);
            penalized[i, j] = members.Any(t => TrialLoss.Finite(t) is null);
        }
        return new SeedLossGrid(scale, rates, seeds, loss, penalized);
    }

    /// <summary>Names of the settings (other than axis, lr and seed) that differ among trials of one cell.</summary>
    private static IEnumerable<string> VaryingColumns(TrialResult[] trials, string axis)
    {
        // The cell's own coordinates (lr, seed) and the landscape's parameterization are equal by construction.
        var varying = TrialColumns.ConfigurationOf(trials)
            .Where(c => c.Name is not (ResultColumns.Parameterization or ResultColumns.Lr or ResultColumns.Seed) && c.Name != axis)
            .Where(c => trials.Select(c.ValueOf).Distinct().Count() > 1)
            .Select(c => c.Name)
            .ToList();
        return varying.Count > 0 ? varying : ["repeated trials"];
    }
}
