using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// Packs (<c>resources.pack</c>): the trial a lease starts with takes along pending trials of its shape
/// (<see cref="TrialPacking.ShapeKey"/>) that stop at the same step, up to the pack size, so one slot trains them as
/// one stacked model. Trials of different shapes never share a pack.
/// </summary>
internal sealed partial class SweepBook
{
    /// <summary>Plan indices by shape key, built on the first lease that may pack (null until then).</summary>
    private Dictionary<string, List<int>>? _shapes;
    private string[]? _shapeOf;

    /// <summary>
    /// Pending trials that may join <paramref name="head"/>'s pack, those of its seed first (members of one seed share
    /// their batches, which the pack trains faster), each group in plan order; empty when it runs alone.
    /// </summary>
    private List<int> PackMates(int head)
    {
        var mates = new List<int>();
        var spec = _plan.Trials[head].Spec;
        var size = TrialPacking.SizeFor(spec, _plan.Settings.Pack);
        if (size <= 1) return mates;
        if (_shapes is null) IndexShapes();
        var stop = StopAtStep(head);
        var candidates = _shapes![_shapeOf![head]]
            .Where(j => j != head && Progress.Statuses[j] == TrialStatus.Pending && IsPlanned(j) && !IsHeld(j) && StopAtStep(j) == stop);
        mates.AddRange(candidates.OrderBy(j => _plan.Trials[j].Spec.Seed == spec.Seed ? 0 : 1).Take(size - 1));
        return mates;
    }

    private void IndexShapes()
    {
        _shapeOf = new string[_plan.Trials.Length];
        _shapes = [];
        for (var i = 0; i < _plan.Trials.Length; i++)
        {
            var spec = _plan.Trials[i].Spec;
            if (!TrialPacking.IsPackable(spec)) continue;
            var key = _shapeOf[i] = TrialPacking.ShapeKey(spec);
            if (!_shapes.TryGetValue(key, out var members)) _shapes[key] = members = [];
            members.Add(i);
        }
    }
}
