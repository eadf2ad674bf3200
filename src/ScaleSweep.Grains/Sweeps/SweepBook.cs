using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;
using ScaleSweep.Grains.Sweeps.Ladder;
using ScaleSweep.Grains.Telemetry;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// The trial book of one sweep: every lease, renewal, completion and failure rule, in memory and without I/O, so
/// each grain call is a few dictionary operations. <see cref="SweepGrain"/> persists <see cref="Progress"/> and
/// ships the <see cref="Outbox"/> (final rows) to the aggregator.
/// </summary>
/// <remarks>
/// A ladder sweep (<see cref="SweepSettings.Ladder"/>) plans its trials as results arrive: every trial of the grid is
/// in the plan with its key, and <see cref="LadderPlanner"/> decides which are planned. Counts, the pending queue,
/// cancellation and the rows expected in the results folder cover planned trials only; a trial that has a row is
/// planned.
/// </remarks>
internal sealed partial class SweepBook : ITrialCounts
{
    private readonly string _sweepId;
    private readonly SweepPlan _plan;
    private readonly TimeSpan _leaseDuration;
    private readonly Dictionary<string, int> _index;
    private readonly PendingQueue _pending;
    private readonly Dictionary<TrialStatus, int> _counts = TrialStatusNames.All.ToDictionary(s => s.Status, _ => 0);
    private readonly Dictionary<int, TrialProgress> _progress = [];
    private readonly HashSet<string> _outboxKeys = new(StringComparer.Ordinal);
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;

    public SweepBook(string sweepId, SweepPlan plan, SweepProgress progress, TimeSpan leaseDuration, string? traceParent = null)
    {
        TraceParent = traceParent;
        _sweepId = sweepId;
        _plan = plan;
        _leaseDuration = leaseDuration;
        Progress = progress;
        var n = plan.Trials.Length;
        if (progress.Statuses.Length == 0)
        {
            progress.Statuses = new TrialStatus[n];
            progress.Attempts = new int[n];
        }
        if (progress.Statuses.Length != n) throw new InvalidOperationException($"sweep {sweepId}: stored progress has {progress.Statuses.Length} trials, plan has {n}");
        if (plan.Settings.Ladder is not null)
        {
            _ladder = LadderLayout.Of(plan);
            progress.Ladder ??= LadderProgress.For(n);
            if (!progress.Ladder.Fits(n)) throw new InvalidOperationException($"sweep {sweepId}: stored ladder progress does not match the plan's {n} trials");
        }
        _index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        _pending = new PendingQueue(plan);
        foreach (var row in progress.Outbox) _outboxKeys.Add(row.TrialKey);
        for (var i = 0; i < n; i++)
        {
            _index[plan.Trials[i].Key] = i;
            if (!IsPlanned(i)) continue;
            _planned++;
            _counts[progress.Statuses[i]]++;
            if (progress.Statuses[i] == TrialStatus.Pending) _pending.Add(i);
        }
        Replan();
    }

    public SweepProgress Progress { get; }

    /// <summary>The sweep span's traceparent, handed to workers with each lease.</summary>
    public string? TraceParent { get; }

    /// <summary>Set by every change that should be persisted; cleared by the grain after a write.</summary>
    public bool Dirty { get; set; }

    /// <summary>Trials planned: the whole grid, or what a ladder has planned so far.</summary>
    public int Total => _planned;

    /// <summary>Trials in the full grid.</summary>
    public int GridSize => _plan.Trials.Length;

    public int FinalCount => Total - Count(TrialStatus.Pending) - Count(TrialStatus.Leased);

    public bool AllFinal => FinalCount == Total;

    public bool Cancelled => Progress.Cancelled;

    public int PendingCount => Count(TrialStatus.Pending);

    public int LeasedCount => Count(TrialStatus.Leased);

    /// <summary>Final rows not yet acknowledged by the aggregator (persisted with the progress).</summary>
    public IReadOnlyList<TrialResult> Outbox => Progress.Outbox;

    public int Count(TrialStatus status) => _counts[status];

    public bool Contains(string key) => _index.ContainsKey(key);

    /// <summary>Keys of the plan's trials that are not planned (so will have no row): none for a grid sweep.</summary>
    public ImmutableArray<string> UnplannedKeys() =>
        _ladder is null ? [] : [.. Enumerable.Range(0, GridSize).Where(i => !IsPlanned(i)).Select(i => _plan.Trials[i].Key)];

    public bool IsPlanned(string key) => _index.TryGetValue(key, out var i) && IsPlanned(i);

    /// <summary>After loading persisted leases: give every holder one full lease duration to renew again.</summary>
    public void RefreshLeases(DateTimeOffset now)
    {
        foreach (var i in Progress.Leases.Keys.ToArray()) Progress.Leases[i] = Progress.Leases[i] with { ExpiresAt = now + _leaseDuration };
        _nextExpiry = Progress.Leases.Count > 0 ? now + _leaseDuration : DateTimeOffset.MaxValue;
    }

    public ImmutableArray<TrialLease> Lease(WorkerInfo worker, int max, DateTimeOffset now)
    {
        ExpireLeases(now);
        if (Cancelled || max <= 0) return [];
        var leases = ImmutableArray.CreateBuilder<TrialLease>();
        // max counts slots: a pack of trials of one shape fills one.
        for (var slots = 0; slots < max && _pending.TryTake(worker, Progress.Statuses, out var i);)
        {
            // Waiting for the rest of its group's rungs: queued again when the group is decided.
            if (IsHeld(i)) continue;
            var mates = PackMates(i);
            var pack = mates.Count > 0 ? Progress.NextLeaseId : 0;
            leases.Add(LeaseTrial(i, worker, now, pack));
            foreach (var j in mates) leases.Add(LeaseTrial(j, worker, now, pack));
            slots++;
        }
        if (leases.Count > 0) Dirty = true;
        return leases.ToImmutable();
    }

    private TrialLease LeaseTrial(int i, WorkerInfo worker, DateTimeOffset now, long pack)
    {
        var attempt = ++Progress.Attempts[i];
        var leaseId = Progress.NextLeaseId++;
        SetStatus(i, TrialStatus.Leased);
        Progress.Leases[i] = new LeaseRecord(worker.Id, leaseId, now + _leaseDuration);
        if (now + _leaseDuration < _nextExpiry) _nextExpiry = now + _leaseDuration;
        var trial = _plan.Trials[i];
        if (attempt > 1) SweepInstruments.TrialsRetried.Add(1, SweepInstruments.SweepTag(_sweepId));
        return new TrialLease(_sweepId, trial.Key, leaseId, attempt, trial.Spec) { TraceParent = TraceParent, StopAtStep = StopAtStep(i), Pack = pack };
    }

    public ImmutableArray<RenewVerdict> Renew(string workerId, ImmutableArray<LeaseRenewal> renewals, DateTimeOffset now)
    {
        var verdicts = ImmutableArray.CreateBuilder<RenewVerdict>(renewals.Length);
        foreach (var r in renewals) verdicts.Add(RenewOne(workerId, r, now));
        return verdicts.MoveToImmutable();
    }

    private RenewVerdict RenewOne(string workerId, LeaseRenewal renewal, DateTimeOffset now)
    {
        if (!_index.TryGetValue(renewal.Key, out var i)) return RenewVerdict.Lost;
        switch (Progress.Statuses[i])
        {
            case TrialStatus.Cancelled:
                return RenewVerdict.Cancelled;
            case TrialStatus.Leased:
                var lease = Progress.Leases[i];
                if (lease.Worker != workerId || lease.LeaseId != renewal.LeaseId) return RenewVerdict.Lost;
                if (!lease.Renewed) Dirty = true;
                Progress.Leases[i] = lease with { ExpiresAt = now + _leaseDuration, Renewed = true };
                break;
            case TrialStatus.Pending when renewal.LeaseId < Progress.NextLeaseId && MayAdopt(i, renewal.LeaseId):
                // The lease expired here (or this activation lost it) but the worker is alive: adopt it back
                // rather than start the trial over elsewhere. The attempt goes on, so its expiry was no retry; an
                // expiry that counted none (never renewed) took the attempt back, which the holder now restores.
                SetStatus(i, TrialStatus.Leased);
                if (renewal.Attempt > Progress.Attempts[i]) Progress.Attempts[i] = renewal.Attempt;
                else Progress.Retries = Math.Max(0, Progress.Retries - 1);
                Progress.Leases[i] = new LeaseRecord(workerId, renewal.LeaseId, now + _leaseDuration, Renewed: true);
                if (now + _leaseDuration < _nextExpiry) _nextExpiry = now + _leaseDuration;
                Dirty = true;
                break;
            default:
                return RenewVerdict.Lost;
        }
        if (renewal.Progress is { } p) _progress[i] = p;
        return RenewVerdict.Ok;
    }

    /// <summary>Records a final result; false when the trial was already final (a late duplicate, counted).</summary>
    public bool Complete(string workerId, TrialResult result, DateTimeOffset now)
    {
        // Rows are composed once, by whoever ran the trial: one for another sweep is not this book's to fix.
        if (result.SweepId != _sweepId || !_index.TryGetValue(result.TrialKey, out var i)) return false;
        if (Progress.Statuses[i].IsFinal())
        {
            if (IsResent(workerId, result)) return false;
            Progress.Duplicates++;
            Dirty = true;
            return false;
        }
        switch (result.Status)
        {
            case TrialStatus.Failed:
                FailAttempt(i, result.Error ?? "the trainer reported failure", now);
                return true;
            case TrialStatus.Cancelled:
                // Cancelled without the sweep being cancelled: the worker gave the trial up (shutdown).
                ReleaseIndex(i);
                return false;
            case not (TrialStatus.Completed or TrialStatus.Diverged):
                // Not a result at all (pending or leased): nothing to record.
                return false;
        }
        switch (RungResult(i, result, now))
        {
            case RungOutcome.Recorded:
                return true;
            case RungOutcome.Stale:
                Progress.Duplicates++;
                Dirty = true;
                return false;
        }
        Progress.Leases.Remove(i);
        _progress.Remove(i);
        SetStatus(i, result.Status);
        if (result.Status == TrialStatus.Completed) ScaleBests.Offer(Progress.Best, result, _plan.Settings.Transfer.Axis);
        SetLoss(i, TrialLoss.Finite(result));
        AddRow(WithRetryReason(i, result));
        Dirty = true;
        Replan();
        MarkFinishedIfDone(now);
        return true;
    }

    /// <summary>
    /// The row this worker's attempt already recorded, sent again because the worker got no acknowledgement (its
    /// call failed after the record): not a duplicate execution, so not counted as one.
    /// </summary>
    private bool IsResent(string workerId, TrialResult result) =>
        result.Silo == workerId && _outboxKeys.Contains(result.TrialKey)
        && Progress.Outbox.Exists(r => r.TrialKey == result.TrialKey && r.Silo == workerId && r.Attempt == result.Attempt);

    /// <summary>One failed attempt; ignored when the trial is final or leased to someone else since.</summary>
    public void Fail(string workerId, TrialFailure failure, DateTimeOffset now)
    {
        if (!_index.TryGetValue(failure.Key, out var i)) return;
        var status = Progress.Statuses[i];
        if (status.IsFinal()) return;
        if (status == TrialStatus.Pending)
        {
            // The attempt ended here already (its lease expired, or this is the same failure sent again after an
            // unacknowledged report): counted once, but the worker's reason is the better one to keep.
            if (Progress.Attempts[i] > 0) Progress.Errors[i] = failure.Error;
            Dirty = true;
            return;
        }
        if (Progress.Leases[i].LeaseId != failure.LeaseId) return;
        FailAttempt(i, failure.Error, now);
    }

    public void Release(string workerId, ImmutableArray<LeaseRef> leases)
    {
        foreach (var lease in leases)
        {
            if (!_index.TryGetValue(lease.Key, out var i) || Progress.Statuses[i] != TrialStatus.Leased) continue;
            var held = Progress.Leases[i];
            if (held.Worker == workerId && held.LeaseId == lease.LeaseId) ReleaseIndex(i);
        }
    }

    /// <summary>
    /// Leases not renewed in time: the trial is pending again. The attempt counts as failed once its holder had
    /// renewed it; a lease no renewal ever reached was not received (its answer was lost with a dying silo: workers
    /// renew from their own loop, so a busy or stuck trial still renews), so it goes back like a release, no attempt
    /// counted. A holder that does have it adopts it back with its next renewal while it is still pending.
    /// </summary>
    public int ExpireLeases(DateTimeOffset now)
    {
        if (now < _nextExpiry) return 0;
        var expired = Progress.Leases.Where(l => l.Value.ExpiresAt <= now).ToArray();
        foreach (var (i, lease) in expired)
        {
            if (lease.Renewed) FailAttempt(i, $"lease expired: worker {lease.Worker} stopped renewing", now);
            else ReleaseIndex(i);
        }
        _nextExpiry = Progress.Leases.Count == 0 ? DateTimeOffset.MaxValue : Progress.Leases.Values.Min(l => l.ExpiresAt);
        return expired.Length;
    }

    public void Cancel(DateTimeOffset now)
    {
        if (Progress.Cancelled) return;
        Progress.Cancelled = true;
        for (var i = 0; i < GridSize; i++)
        {
            if (!IsPlanned(i) || Progress.Statuses[i].IsFinal()) continue;
            SetStatus(i, TrialStatus.Cancelled);
            AddRow(RowFor(i, TrialStatus.Cancelled));
        }
        Progress.Leases.Clear();
        _progress.Clear();
        _pending.Clear();
        _nextExpiry = DateTimeOffset.MaxValue;
        Dirty = true;
        MarkFinishedIfDone(now);
    }

    public SweepStatus Status(string name, DateTimeOffset submittedAt)
    {
        var state = Cancelled ? SweepState.Cancelled : AllFinal ? SweepState.Completed : SweepState.Running;
        var running = Progress.Leases
            .OrderBy(l => l.Key)
            .Select(l =>
            {
                var p = _progress.GetValueOrDefault(l.Key);
                return new RunningTrial(_plan.Trials[l.Key].Key, l.Value.Worker, Progress.Attempts[l.Key], p?.Step ?? 0, p?.TotalSteps ?? 0, p?.TrainLoss)
                {
                    PreviousError = Progress.Attempts[l.Key] > 1 ? Progress.Errors.GetValueOrDefault(l.Key) : null,
                };
            })
            .ToImmutableArray();
        var errors = Progress.Errors
            .Where(e => Progress.Statuses[e.Key] == TrialStatus.Failed)
            .ToImmutableSortedDictionary(e => _plan.Trials[e.Key].Key, e => e.Value, StringComparer.Ordinal);
        return new SweepStatus(_sweepId, name, state, Counts())
        {
            Running = running,
            SubmittedAt = submittedAt,
            FinishedAt = Progress.FinishedAt,
            DuplicatesDropped = Progress.Duplicates,
            Retries = Progress.Retries,
            Resumed = Progress.Resumed,
            Reused = Progress.Reused,
            Finalized = Progress.Analysis is not null,
            Analysis = Progress.Analysis,
            Errors = errors,
            Best = ScaleBests.Sorted(Progress.Best),
            GridTrials = _ladder is null ? 0 : GridSize,
            Stages = _stages,
        };
    }

    public TrialCounts Counts() => new(
        Total,
        Count(TrialStatus.Pending),
        Count(TrialStatus.Leased),
        Count(TrialStatus.Completed),
        Count(TrialStatus.Diverged),
        Count(TrialStatus.Failed),
        Count(TrialStatus.Cancelled))
    {
        Pruned = Count(TrialStatus.Pruned),
    };

    private void FailAttempt(int i, string error, DateTimeOffset now)
    {
        Progress.Leases.Remove(i);
        _progress.Remove(i);
        Progress.Errors[i] = error;
        if (Progress.Attempts[i] >= Math.Max(1, _plan.Settings.MaxAttempts))
        {
            SetStatus(i, TrialStatus.Failed);
            SetLoss(i, null);
            AddRow(RowFor(i, TrialStatus.Failed));
            Replan();
            MarkFinishedIfDone(now);
        }
        else
        {
            SetStatus(i, TrialStatus.Pending);
            _pending.Add(i);
            Progress.Retries++;
        }
        Dirty = true;
    }

    private void ReleaseIndex(int i)
    {
        Progress.Leases.Remove(i);
        _progress.Remove(i);
        Progress.Attempts[i] = Math.Max(0, Progress.Attempts[i] - 1);
        SetStatus(i, TrialStatus.Pending);
        _pending.Add(i);
        Dirty = true;
    }

    /// <summary>The row of a trial that ended here without a result of its own (failed or cancelled): no silo, no times.</summary>
    private TrialResult RowFor(int i, TrialStatus status)
    {
        if (status == TrialStatus.Pruned) return PrunedRow(i);
        var trial = _plan.Trials[i];
        var attempt = new TrialAttempt(_sweepId, trial.Key, Math.Max(1, Progress.Attempts[i]), Silo: "", default, default);
        return TrialRows.Compose(trial.Spec, attempt, TrialMeasurements.None(status, Progress.Errors.GetValueOrDefault(i)));
    }

    /// <summary>A result of a later attempt says why the attempt before it ended, so no re-execution goes unexplained.</summary>
    private TrialResult WithRetryReason(int i, TrialResult result) =>
        result.Attempt > 1 && result.Error is null && Progress.Errors.TryGetValue(i, out var previous)
            ? result with { Error = $"attempt {result.Attempt - 1}: {previous}" }
            : result;

    private void AddRow(TrialResult row)
    {
        if (_outboxKeys.Add(row.TrialKey)) Progress.Outbox.Add(row);
    }

    private void MarkFinishedIfDone(DateTimeOffset now)
    {
        if (AllFinal) Progress.FinishedAt ??= now;
    }

    private void SetStatus(int i, TrialStatus status)
    {
        var planned = IsPlanned(i);
        if (planned) _counts[Progress.Statuses[i]]--;
        Progress.Statuses[i] = status;
        if (planned) _counts[status]++;
    }
}
