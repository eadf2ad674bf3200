using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Spec → plan: parameterizations (outermost, in spec order) × the cartesian product of the grid keys in
/// spec order, the last key varying fastest. The order and the keys depend only on the spec, so expanding
/// twice (on a client and a silo, or before and after a restart) gives the same plan.
/// </summary>
public static class SweepExpander
{
    public static long CountTrials(SweepSpec spec) =>
        spec.Grid.Aggregate((long)spec.Parameterizations.Length, (n, axis) => checked(n * axis.Values.Length));

    public static SweepPlan Expand(SweepSpec spec)
    {
        var count = CountTrials(spec);
        var trials = ImmutableArray.CreateBuilder<PlannedTrial>((int)count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var gridKeys = spec.Grid.Select(a => GridKeys.Find(a.Key)
            ?? throw new InvalidOperationException($"grid key '{a.Key}' is not sweepable")).ToArray();
        foreach (var choice in spec.Parameterizations)
        {
            var template = new TrialSpec(choice.Name, spec.Model, spec.Data, spec.Train, spec.Base, Seed: 0, spec.Options)
            {
                Device = spec.Resources.Device,
                Threads = spec.Resources.ThreadsPerTrial,
                CustomTable = choice.Table,
            };
            foreach (var point in Points(spec.Grid))
            {
                var trial = template;
                var extra = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
                for (var i = 0; i < point.Length; i++)
                {
                    trial = gridKeys[i].Apply(trial, point[i]);
                    if (GridKeys.IsExtra(gridKeys[i].Name)) extra[gridKeys[i].Name] = point[i];
                }
                trial = trial with { Extra = extra.ToImmutable() };
                var key = TrialKey.For(trial);
                // Validation rejects duplicate grid values, so a collision means two keys map to one field.
                if (!keys.Add(key)) throw new InvalidOperationException($"two trials of sweep '{spec.Name}' share key {key}");
                trials.Add(new PlannedTrial(key, trial));
            }
        }
        var settings = new SweepSettings(spec.Resources.MaxAttempts, spec.Transfer)
        {
            Output = spec.Output,
            SweptKeys = spec.SweptKeys,
            Ladder = spec.Ladder,
            MetricColumns = spec.Model.Command?.Metrics ?? [],
            Pack = spec.Resources.Pack,
        };
        return new SweepPlan(spec.Name, trials.MoveToImmutable(), settings) { SpecYaml = spec.SourceYaml };
    }

    /// <summary>Every combination of axis values (an odometer; the last axis turns fastest).</summary>
    private static IEnumerable<double[]> Points(ImmutableArray<GridAxis> grid)
    {
        if (grid.Any(a => a.Values.IsEmpty)) yield break;
        var index = new int[grid.Length];
        while (true)
        {
            yield return [.. grid.Select((a, i) => a.Values[index[i]])];
            var axis = grid.Length - 1;
            while (axis >= 0 && ++index[axis] == grid[axis].Values.Length)
            {
                index[axis] = 0;
                axis--;
            }
            if (axis < 0) yield break;
        }
    }
}
