using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps.Ladder;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// The ladder part of the book: which trials are planned, the losses the planner reads, and the rung legs of
/// <c>ladder.prune</c> (a trial first runs to its rung, waits for its group, then is pruned or runs in full).
/// Everything here is null or a no-op for a grid sweep.
/// </summary>
internal sealed partial class SweepBook
{
    private readonly LadderLayout? _ladder;
    private int _planned;
    private ImmutableArray<LadderStage> _stages = [];
    private LadderDecision? _decision;
    /// <summary>Rung results not yet turned into a pruned row (lost with the activation: the row is then rebuilt from the rung loss).</summary>
    private readonly Dictionary<int, TrialResult> _rungRows = [];
    /// <summary>The first lease id of each trial's full leg: a renewal of its rung leg is never adopted as it.</summary>
    private readonly Dictionary<int, long> _fullLegFrom = [];

    private enum RungOutcome { None, Recorded, Stale }

    private LadderProgress Ladder => Progress.Ladder!;

    private bool IsPlanned(int i) => _ladder is null || Ladder.Planned[i];

    /// <summary>Done with its rung while the rest of its group is not: not to be leased yet.</summary>
    private bool IsHeld(int i) => _decision is { } d && d.Held[i];

    /// <summary>The rung to stop at when the trial's next run is its rung leg; 0 for a full run.</summary>
    private int StopAtStep(int i) => _decision is { } d && d.RungStep[i] > 0 && double.IsNaN(Ladder.RungLosses[i]) ? d.RungStep[i] : 0;

    private bool MayAdopt(int i, long leaseId) => !IsHeld(i) && leaseId >= _fullLegFrom.GetValueOrDefault(i);

    /// <summary>
    /// A result during a rung leg is the rung's: a completed one is recorded and the trial waits for its group; a
    /// diverged one is final as it is (the full run would diverge at the same step). After the rung, a completed
    /// result that stopped short is a late copy of the rung's.
    /// </summary>
    private RungOutcome RungResult(int i, TrialResult result, DateTimeOffset now)
    {
        if (_decision is not { } d || d.RungStep[i] == 0) return RungOutcome.None;
        if (!double.IsNaN(Ladder.RungLosses[i]))
            return result.Status == TrialStatus.Completed && result.Steps < _plan.Trials[i].Spec.Optim.Steps ? RungOutcome.Stale : RungOutcome.None;
        Ladder.RungLosses[i] = RungLoss(result);
        if (result.Status != TrialStatus.Completed) return RungOutcome.None;
        Progress.Leases.Remove(i);
        _progress.Remove(i);
        Progress.Attempts[i] = 0;
        _fullLegFrom[i] = Progress.NextLeaseId;
        _rungRows[i] = result;
        SetStatus(i, TrialStatus.Pending);
        Dirty = true;
        Replan();
        MarkFinishedIfDone(now);
        return RungOutcome.Recorded;
    }

    private static double RungLoss(TrialResult rung) =>
        rung.Status == TrialStatus.Completed && (rung.FinalEvalLoss ?? rung.FinalTrainLoss) is { } loss && double.IsFinite(loss) ? loss : double.PositiveInfinity;

    /// <summary>The row of a pruned trial: its rung measurements, status pruned.</summary>
    private TrialResult PrunedRow(int i)
    {
        if (_rungRows.TryGetValue(i, out var rung)) return rung with { Status = TrialStatus.Pruned };
        var trial = _plan.Trials[i];
        var attempt = new TrialAttempt(_sweepId, trial.Key, 1, Silo: "", default, default);
        var loss = Ladder.RungLosses[i];
        var measured = TrialMeasurements.None(TrialStatus.Pruned) with
        {
            FinalEvalLoss = double.IsFinite(loss) ? loss : null,
            Steps = _decision?.RungStep[i] ?? 0,
        };
        return TrialRows.Compose(trial.Spec, attempt, measured);
    }

    /// <summary>A trial with a stored or adopted row: planned (it has a row) and final, with the row's loss for the ladder.</summary>
    private void MarkStored(int i, TrialStatus status, IReadOnlyDictionary<string, double>? losses) =>
        MarkStored(i, status, losses is not null && losses.TryGetValue(_plan.Trials[i].Key, out var l) ? l : null);

    private void MarkStored(int i, TrialStatus status, double? loss)
    {
        Activate(i);
        SetStatus(i, status);
        SetLoss(i, status == TrialStatus.Completed ? loss : null);
        // A row without its rung loss ranks as it ended: a completed full run was kept, anything else was not.
        if (_ladder is not null && double.IsNaN(Ladder.RungLosses[i]))
            Ladder.RungLosses[i] = status == TrialStatus.Pruned && loss is { } rung ? rung : LadderPruning.RankLoss(status, double.NaN);
    }

    private void SetLoss(int i, double? loss)
    {
        if (_ladder is not null) Ladder.Losses[i] = loss ?? double.NaN;
    }

    /// <summary>Plans a trial: from now on it counts, and runs when pending.</summary>
    private void Activate(int i)
    {
        if (IsPlanned(i)) return;
        Ladder.Planned[i] = true;
        _planned++;
        _counts[Progress.Statuses[i]]++;
        if (Progress.Statuses[i] == TrialStatus.Pending) _pending.Add(i);
        Dirty = true;
    }

    /// <summary>
    /// Asks the ladder (if any) what to plan given the outcomes so far, then applies it: planning only ever adds
    /// trials; trials cut at their rung get their pruned row; trials no longer held are queued for their full run.
    /// </summary>
    private void Replan()
    {
        if (_ladder is null || Cancelled) return;
        var decision = LadderPlanner.Plan(_ladder, Progress.Statuses, Ladder.Losses, _plan.Settings.Ladder!, Ladder.RungLosses);
        _decision = decision;
        _stages = decision.Stages;
        for (var i = 0; i < decision.Active.Length; i++)
        {
            if (decision.Active[i]) Activate(i);
            if (!IsPlanned(i)) continue;
            if (decision.Pruned[i] && !Progress.Statuses[i].IsFinal())
            {
                Progress.Leases.Remove(i);
                _progress.Remove(i);
                SetStatus(i, TrialStatus.Pruned);
                AddRow(PrunedRow(i));
                _rungRows.Remove(i);
                Dirty = true;
            }
            else if (Progress.Statuses[i] == TrialStatus.Pending && !decision.Held[i]) _pending.Add(i);
        }
    }
}
