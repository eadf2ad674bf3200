using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// The reuse part of the book (<c>--reuse DIR</c>): an earlier sweep's finished rows that the plan carries are
/// adopted at submission, and rebuilt from the plan rather than re-run when their row is lost on the way.
/// </summary>
internal sealed partial class SweepBook
{
    private Dictionary<string, TrialResult>? _reused;

    /// <summary>
    /// At submission, after <see cref="ApplyStored"/>: the plan's <see cref="SweepPlan.Reused"/> rows (an earlier
    /// sweep's finished trials with the same keys) are final from the start, shipped as this sweep's rows and marked
    /// with the sweep that ran them. Trials already final here (stored in the output folder) keep their own row.
    /// </summary>
    public void Adopt(DateTimeOffset now)
    {
        foreach (var row in _plan.Reused)
        {
            if (!ReusedRows.IsReusable(row.Status) || !_index.TryGetValue(row.TrialKey, out var i) || Progress.Statuses[i].IsFinal()) continue;
            Progress.Leases.Remove(i);
            MarkStored(i, row.Status, row.FinalEvalLoss ?? row.FinalTrainLoss);
            if (row.Status == TrialStatus.Completed) ScaleBests.Offer(Progress.Best, row, _plan.Settings.Transfer.Axis);
            AddRow(Adopted(row));
            Progress.Reused++;
        }
        Dirty = true;
        // A ladder plans from adopted results as from its own.
        Replan();
        MarkFinishedIfDone(now);
    }

    /// <summary>An earlier sweep's row as this sweep's: its own sweep id, and where it came from (the sweep that ran it).</summary>
    private TrialResult Adopted(TrialResult row) => row with { SweepId = _sweepId, ReusedFrom = row.ReusedFrom ?? row.SweepId };

    private TrialResult? ReusedRow(string key)
    {
        _reused ??= _plan.Reused.Where(r => ReusedRows.IsReusable(r.Status)).DistinctBy(r => r.TrialKey)
            .ToDictionary(r => r.TrialKey, StringComparer.Ordinal);
        return _reused.GetValueOrDefault(key);
    }
}
