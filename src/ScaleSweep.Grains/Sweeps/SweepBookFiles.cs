using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// The book against the results files: rows already stored at submission, agreement with what the files hold after
/// the aggregator (re)opened, and the outbox rows the files now hold.
/// </summary>
internal sealed partial class SweepBook
{
    /// <summary>
    /// At submission: trials whose rows are already stored are final (and planned) from the start; a ladder reads
    /// their <paramref name="losses"/> (finite losses of completed rows) and re-derives its plan from them.
    /// </summary>
    public void ApplyStored(IReadOnlyDictionary<string, TrialStatus> stored, DateTimeOffset now, IReadOnlyDictionary<string, double>? losses = null)
    {
        foreach (var (key, status) in stored)
        {
            if (!status.IsFinal() || !_index.TryGetValue(key, out var i) || Progress.Statuses[i].IsFinal()) continue;
            Progress.Leases.Remove(i);
            MarkStored(i, status, losses);
            Progress.Resumed++;
        }
        Dirty = true;
        Replan();
        MarkFinishedIfDone(now);
    }

    /// <summary>
    /// After the aggregator (re)opened: make this book agree with what is stored. Stored rows are final here too;
    /// a final trial whose row is missing (lost with a dead silo) is re-run if it had a result, or its row is
    /// rebuilt if it failed or was cancelled. Rows still in the outbox are on their way and left alone.
    /// </summary>
    public void Reconcile(IReadOnlyDictionary<string, TrialStatus> stored, DateTimeOffset now, IReadOnlyDictionary<string, double>? losses = null)
    {
        for (var i = 0; i < GridSize; i++)
        {
            var key = _plan.Trials[i].Key;
            if (_outboxKeys.Contains(key)) continue;
            var current = Progress.Statuses[i];
            if (stored.TryGetValue(key, out var status) && status.IsFinal())
            {
                if (!current.IsFinal())
                {
                    Progress.Leases.Remove(i);
                    MarkStored(i, status, losses);
                }
                continue;
            }
            // Never planned, so never run: nothing to reconcile.
            if (!IsPlanned(i)) continue;
            switch (current)
            {
                case TrialStatus.Completed or TrialStatus.Diverged when ReusedRow(key) is { } reused:
                    // An adopted row lost before it reached the files: the plan still holds it, nothing to re-run.
                    AddRow(Adopted(reused));
                    break;
                case TrialStatus.Completed or TrialStatus.Diverged:
                    SetStatus(i, TrialStatus.Pending);
                    _pending.Add(i);
                    break;
                case TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Pruned:
                    AddRow(RowFor(i, current));
                    break;
            }
        }
        Replan();
        if (!AllFinal) Progress.FinishedAt = null;
        Dirty = true;
        MarkFinishedIfDone(now);
    }

    /// <summary>Rows now flushed to the results files leave the outbox.</summary>
    public void Acknowledge(int count)
    {
        foreach (var row in Progress.Outbox.Take(count)) _outboxKeys.Remove(row.TrialKey);
        Progress.Outbox.RemoveRange(0, count);
        Dirty = true;
    }
}
