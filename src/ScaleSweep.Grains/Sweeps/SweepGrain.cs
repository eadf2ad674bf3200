using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Grains.Results;
using ScaleSweep.Grains.Telemetry;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// One sweep. Calls are bookkeeping (see <see cref="SweepBook"/>) plus, for a call that leased, completed or failed
/// trials, one write of the progress before the answer: a worker's result is acknowledged only once it is in storage,
/// so a silo that dies with this grain loses no reported result and no granted lease. A grain timer ships final rows
/// to the <see cref="IAggregatorGrain"/> (they leave the persisted outbox once flushed to the files), expires leases
/// and persists the rest behind the calls.
/// </summary>
/// <remarks>
/// Reentrant, so that calls waiting on a write share the next one (a group commit) instead of queueing one write
/// each: every book change happens within one turn, between awaits, and submissions take turns.
/// </remarks>
[Reentrant]
public sealed class SweepGrain(
    [PersistentState("plan", StorageNames.Sweeps)] IPersistentState<SweepPlanState> planState,
    [PersistentState("progress", StorageNames.Sweeps)] IPersistentState<SweepProgress> progressState,
    IOptions<LeaseOptions> leaseOptions,
    IOptions<WorkerOptions> workerOptions,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private const int MaxRowsPerAppend = 1024;
    private readonly LeaseOptions _options = leaseOptions.Value;
    private SweepBook? _book;
    private IGrainTimer? _timer;
    private long _aggregatorEpoch;
    private DateTimeOffset _lastFinishCall = DateTimeOffset.MinValue;
    private bool _syncing;
    private Activity? _span;
    private string? _resultsFolder;
    private string? _resultsError;
    private readonly ProgressWriter _progressWriter = new(progressState);
    private readonly SemaphoreSlim _submitting = new(1, 1);
    private readonly RepeatedWarnings _warnings = new(clock, RepeatedWarnings.DefaultPeriod);

    private string Id => this.GetPrimaryKeyString();

    private IAggregatorGrain Aggregator => GrainFactory.GetGrain<IAggregatorGrain>(Id);

    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (planState.State.Plan is not { } plan) return;
        var traceParent = planState.State.TraceParent;
        _book = new SweepBook(Id, plan, progressState.State, _options.LeaseDuration, traceParent);
        _book.RefreshLeases(Now);
        SweepGauges.Publish(Id, _book);
        // The original span stayed with the previous activation; continue the trace under it until the sweep ends.
        if (traceParent is not null && _book.Progress.Analysis is null) _span = SweepSpans.Start(Id, plan, traceParent);
        StartTimer();
        // Learn what the files hold before serving leases, so nothing stored is leased again.
        try
        {
            await SyncAggregatorAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning("sweep {Sweep}: reading its results on activation failed ({Error}); retrying every flush period", Id, ex.Message);
        }
        if (!_book.AllFinal) await RegisterAsync(plan);
        // And again: renewals reach the grain only once activation ends, so the holders' full lease duration
        // starts now, not before the (possibly slow) read of the results files.
        _book.RefreshLeases(Now);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_book is null) return;
        SweepGauges.Withdraw(Id, _book);
        EndSpan("interrupted");
        try
        {
            await SyncAggregatorAsync();
            await PersistAsync(force: false);
        }
        catch (Exception ex)
        {
            // While a silo shuts down, storage may be gone already (embedded memory storage): expected, not a warning.
            var level = reason.ReasonCode == DeactivationReasonCode.ShuttingDown ? LogLevel.Debug : LogLevel.Warning;
            logger.Log(level, ex, "sweep {Sweep}: flushing on deactivation failed; the next activation reconciles", Id);
        }
    }

    public async Task<SweepStatus> Submit(SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // A client that timed out submits again: the second waits for the first and finds its plan.
        await _submitting.WaitAsync();
        try
        {
            return await SubmitOnceAsync(plan);
        }
        finally
        {
            _submitting.Release();
        }
    }

    private async Task<SweepStatus> SubmitOnceAsync(SweepPlan plan)
    {
        if (planState.State.Plan is { } existing)
        {
            if (existing.Name == plan.Name && existing.Trials.Select(t => t.Key).SequenceEqual(plan.Trials.Select(t => t.Key)))
                return Status();
            throw new InvalidOperationException($"sweep id '{Id}' is already used by another plan ('{existing.Name}')");
        }
        Validate(plan);
        if (CommandPolicy.HasCommands(plan) && ServiceProvider.GetService<IOptions<WorkerOptions>>()?.Value.AllowCommands != true)
            throw new InvalidOperationException(CommandPolicy.Refusal);

        // Opening the results folder first: an invalid output path refuses the sweep before anything is stored.
        var opened = await Aggregator.Open(plan);
        _span = SweepSpans.Start(Id, plan);
        var book = new SweepBook(Id, plan, new SweepProgress(), _options.LeaseDuration, _span?.Id);
        book.ApplyStored(opened.Stored, Now, opened.Losses);
        book.Adopt(Now);
        _aggregatorEpoch = opened.Epoch;

        planState.State = new SweepPlanState { Plan = plan, SubmittedAt = Now, TraceParent = _span?.Id };
        progressState.State = book.Progress;
        try
        {
            await Task.WhenAll(planState.WriteStateAsync(), progressState.WriteStateAsync());
        }
        catch
        {
            // Not submitted after all: close the span rather than leave it open forever.
            SweepSpans.Stop(_span, "refused", 0, 0, 0, 0);
            _span = null;
            throw;
        }
        book.Dirty = false;
        _book = book;
        SweepGauges.Publish(Id, book);
        StartTimer();
        if (!book.AllFinal) await RegisterAsync(plan);
        else await SyncAggregatorAsync();
        logger.LogInformation("sweep {Sweep} ({Name}) submitted: {Trials} trials planned of {Grid}, {Resumed} already stored, {Reused} reused", Id, plan.Name,
            book.Total, plan.Trials.Length, opened.Stored.Count, book.Progress.Reused);
        return Status();
    }

    public async Task<SweepStatus> Cancel()
    {
        if (_book is null) return SweepStatus.Unknown(Id);
        _book.Cancel(Now);
        await PersistAsync(force: true);
        await TrySyncAggregatorAsync();
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public async Task<LeaseGrant> Lease(WorkerInfo worker, int max)
    {
        if (_book is null) return new LeaseGrant([], Active: false);
        var leases = _book.Lease(worker, max, Now);
        if (leases.Length > 0)
        {
            try
            {
                await AcknowledgeAsync();
            }
            catch
            {
                // Not granted after all: a lease this grain could forget would be run twice.
                _book.Release(worker.Id, [.. leases.Select(l => new LeaseRef(l.Key, l.LeaseId))]);
                throw;
            }
        }
        // Only command trials write a log of their own (every trial of a plan has the same model kind).
        if (leases.Length > 0 && leases[0].Spec.Model.Command is not null && ResultsFolder() is { } folder)
            leases = [.. leases.Select(l => l with { ResultsFolder = folder })];
        return new LeaseGrant(leases, Active: !_book.AllFinal);
    }

    public Task<ImmutableArray<RenewVerdict>> Renew(string workerId, ImmutableArray<LeaseRenewal> renewals)
    {
        if (_book is null) return Task.FromResult(renewals.Select(_ => RenewVerdict.Lost).ToImmutableArray());
        return Task.FromResult(_book.Renew(workerId, renewals, Now));
    }

    public async Task<CompletionReceipt> Complete(string workerId, ImmutableArray<TrialResult> results)
    {
        if (_book is null) return new CompletionReceipt(0, 0);
        var duplicatesBefore = _book.Progress.Duplicates;
        var accepted = 0;
        foreach (var result in results)
        {
            if (_book.Complete(workerId, result, Now)) accepted++;
        }
        // Acknowledged once stored: a failed write throws, and the worker keeps the results and sends them again.
        await AcknowledgeAsync();
        // The last result of a sweep is shipped at once rather than at the next tick: it ends the sweep.
        if (_book.AllFinal) await TrySyncAggregatorAsync();
        return new CompletionReceipt(accepted, (int)(_book.Progress.Duplicates - duplicatesBefore));
    }

    public async Task Fail(string workerId, TrialFailure failure)
    {
        if (_book is null) return;
        _book.Fail(workerId, failure, Now);
        await AcknowledgeAsync();
        if (_book.AllFinal) await TrySyncAggregatorAsync();
    }

    public Task Release(string workerId, ImmutableArray<LeaseRef> leases)
    {
        _book?.Release(workerId, leases);
        return Task.CompletedTask;
    }

    public async Task WorkersLost(ImmutableArray<string> workerIds)
    {
        if (_book is null) return;
        var lost = _book.LoseWorkers(workerIds, Now);
        if (lost > 0) logger.LogInformation("sweep {Sweep}: {Count} leases of lost workers {Workers} ended", Id, lost, string.Join(", ", workerIds));
        if (_book.AllFinal) await SyncAggregatorAsync();
    }

    public async Task AnalysisFinished(AnalysisSummary summary)
    {
        if (_book is null) return;
        _book.Progress.Analysis = summary;
        _book.Dirty = true;
        EndSpan(_book.Cancelled ? "cancelled" : "completed");
        await PersistAsync(force: true);
        logger.LogInformation("sweep {Sweep}: results finalized in {Directory}{Error}", Id, summary.Directory,
            summary.Error is null ? "" : $" (analysis failed: {summary.Error})");
    }

    private void EndSpan(string status)
    {
        if (_span is null || _book is null) return;
        SweepSpans.Stop(_span, status, _book.Count(TrialStatus.Completed), _book.Count(TrialStatus.Diverged),
            _book.Count(TrialStatus.Failed), _book.Count(TrialStatus.Cancelled));
        _span = null;
    }

    private SweepStatus Status() =>
        _book is null
            ? SweepStatus.Unknown(Id)
            : _book.Status(planState.State.Plan!.Name, planState.State.SubmittedAt) with
            {
                Host = workerOptions.Value.Name ?? silo.SiloAddress.ToString(),
                ResultsError = _resultsError,
            };

    private void StartTimer()
    {
        // Interleaving: while the tick waits on the aggregator or on storage, worker calls keep being served.
        _timer ??= this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(_options.FlushPeriod, _options.FlushPeriod) { Interleave = true });
    }

    private async Task OnTickAsync(CancellationToken ct)
    {
        if (_book is null) return;
        try
        {
            _book.ExpireLeases(Now);
            await SyncAggregatorAsync();
            await PersistAsync(force: false);
            if (_book.Progress.Analysis is not null && _book.Outbox.Count == 0)
            {
                // Nothing left to do: stop ticking so the activation can be collected when idle.
                _timer?.Dispose();
                _timer = null;
            }
        }
        catch (Exception ex)
        {
            WarnStoringFailed(ex);
        }
    }

    /// <summary>Ships what it can now; a failure is only reported (the result is stored already, the tick retries).</summary>
    private async Task TrySyncAggregatorAsync()
    {
        try
        {
            await SyncAggregatorAsync();
        }
        catch (Exception ex)
        {
            WarnStoringFailed(ex);
        }
    }

    /// <summary>A full disk fails every tick until space returns: one warning per period; the rows stay in the outbox.</summary>
    private void WarnStoringFailed(Exception ex)
    {
        if (_warnings.ShouldLog("flush", out var repeats))
            logger.LogWarning("sweep {Sweep}: storing results failed ({Error}); {Count} rows kept, retrying every flush period{Repeats}",
                Id, ex.Message, _book?.Outbox.Count ?? 0, RepeatedWarnings.Suffix(repeats));
    }

    /// <summary>Ships the outbox; when every trial is final and stored, asks the aggregator to finish.</summary>
    /// <remarks>One sync at a time: the timer interleaves with calls that also sync, and rows are acknowledged by count.</remarks>
    private async Task SyncAggregatorAsync()
    {
        if (_book is null || _syncing) return;
        _syncing = true;
        try
        {
            await SyncAggregatorCoreAsync(_book);
            _resultsError = null;
        }
        catch (Exception ex)
        {
            // Shown by status until a sync succeeds: e.g. "writing trials.parquet: No space left on device".
            _resultsError = ex.Message;
            throw;
        }
        finally
        {
            _syncing = false;
        }
    }

    private async Task SyncAggregatorCoreAsync(SweepBook book)
    {
        if (_aggregatorEpoch == 0)
        {
            var opened = await Aggregator.Open(planState.State.Plan!);
            book.Reconcile(opened.Stored, Now, opened.Losses);
            _aggregatorEpoch = opened.Epoch;
            if (!book.AllFinal) await RegisterAsync(planState.State.Plan!);
        }
        while (book.Outbox.Count > 0)
        {
            var batch = book.Outbox.Take(MaxRowsPerAppend).ToImmutableArray();
            var epoch = await Aggregator.Append(batch);
            if (epoch != _aggregatorEpoch)
            {
                // The aggregator restarted and lost what it had not flushed: re-open and reconcile next time.
                _aggregatorEpoch = 0;
                return;
            }
            book.Acknowledge(batch.Length);
        }
        if (!book.AllFinal || book.Progress.Analysis is not null) return;
        if (Now - _lastFinishCall < TimeSpan.FromSeconds(5)) return;
        _lastFinishCall = Now;
        var finish = await Aggregator.Finish(book.UnplannedKeys());
        if (finish.Epoch != _aggregatorEpoch)
        {
            _aggregatorEpoch = 0;
            _lastFinishCall = DateTimeOffset.MinValue;
            return;
        }
        if (finish.Missing.Length > 0)
        {
            logger.LogWarning("sweep {Sweep}: {Count} final trials have no stored row; re-running them", Id, finish.Missing.Length);
            var missing = finish.Missing.ToHashSet(StringComparer.Ordinal);
            // Only the missing keys change: stored trials are final already, whatever status they carry (and
            // trials a ladder never planned have no row to miss).
            var stored = planState.State.Plan!.Trials.Where(t => !missing.Contains(t.Key) && book.IsPlanned(t.Key))
                .ToDictionary(t => t.Key, _ => TrialStatus.Completed, StringComparer.Ordinal);
            book.Reconcile(stored, Now);
            _lastFinishCall = DateTimeOffset.MinValue;
            await RegisterAsync(planState.State.Plan!);
        }
    }

    private Task PersistAsync(bool force) => _progressWriter.WriteAsync(_book, force);

    /// <summary>Before an answer: the write that makes it durable, where the storage can keep it (<see cref="LeaseOptions.AcknowledgeAfterWrite"/>).</summary>
    private Task AcknowledgeAsync() => _options.AcknowledgeAfterWrite ? PersistAsync(force: false) : Task.CompletedTask;

    private Task RegisterAsync(SweepPlan plan) =>
        GrainFactory.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster)
            .Register(new SweepEntry(Id, plan.Name, planState.State.SubmittedAt));

    /// <summary>The sweep's results folder as the aggregator resolves it on this silo (for the workers' trial logs).</summary>
    private string? ResultsFolder()
    {
        if (_resultsFolder is null && planState.State.Plan is { } plan && ServiceProvider.GetService<IOptions<ResultsOptions>>() is { } results)
        {
            try { _resultsFolder = results.Value.Resolve(plan); }
            catch (ArgumentException) { _resultsFolder = ""; } // the submit refused such a plan already
        }
        return string.IsNullOrEmpty(_resultsFolder) ? null : _resultsFolder;
    }

    private static void Validate(SweepPlan plan)
    {
        if (plan.Trials.IsDefaultOrEmpty) throw new ArgumentException("the plan has no trials");
        if (plan.Settings.MaxAttempts < 1) throw new ArgumentException("max_attempts must be at least 1");
        var duplicate = plan.Trials.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"trial key {duplicate.Key} appears {duplicate.Count()} times in the plan");
        // Clients check reused rows when they read them; a row that is not the trial of its key is refused here too.
        var planned = plan.Trials.ToDictionary(t => t.Key, StringComparer.Ordinal);
        foreach (var row in plan.Reused)
        {
            var mismatch = planned.TryGetValue(row.TrialKey, out var trial) ? ReusedRows.Mismatch(trial, row) : "is not a trial of the plan";
            if (mismatch is not null) throw new ArgumentException($"reused trial {row.TrialKey} {mismatch}");
        }
    }
}
