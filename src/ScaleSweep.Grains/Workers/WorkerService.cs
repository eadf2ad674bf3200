using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Telemetry;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// The trial slots of a silo. Slot threads (dedicated, never the grain scheduler) run trials; one dispatcher loop
/// asks the scheduler for work, renews every held lease each renew period (carrying progress, and learning about
/// cancellation), and reports results. Grain calls are batched per sweep to keep per-trial overhead low.
/// </summary>
public sealed partial class WorkerService : BackgroundService
{
    private readonly IGrainFactory _grains;
    private readonly TrialRunnerRouter _runner;
    private readonly WorkerOptions _options;
    private readonly LeaseOptions _lease;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger<WorkerService> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Sweep, string Key), ActiveTrial> _active = new();
    private readonly BlockingCollection<ActiveTrial[]> _ready = new();
    private readonly ConcurrentQueue<TrialOutcome> _finished = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<TrialOutcome> _unsent = [];
    private readonly List<Thread> _threads = [];
    private readonly WorkerSlots _slots;
    private readonly RepeatedWarnings _warnings;
    private int _failureStreak;
    private readonly string? _silo;

    public WorkerService(IGrainFactory grains, TrialRunnerRouter runner, IOptions<WorkerOptions> options,
        IOptions<LeaseOptions> lease, WorkerMetrics metrics, ILogger<WorkerService> logger, TimeProvider time, ILocalSiloDetails? silo = null)
    {
        _silo = silo?.SiloAddress.ToParsableString();
        _time = time;
        _warnings = new RepeatedWarnings(time, RepeatedWarnings.DefaultPeriod);
        _grains = grains;
        _runner = runner;
        _options = options.Value;
        _lease = lease.Value;
        _metrics = metrics;
        _logger = logger;
        Slots = _options.EffectiveSlots;
        WorkerId = _options.Name ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next(0x1000000):x6}";
        _slots = new WorkerSlots(WorkerId, Slots);
    }

    public string WorkerId { get; }

    public int Slots { get; }

    private WorkerInfo Info => new(WorkerId, _options.Device, Slots) { FailureStreak = _failureStreak, Silo = _silo };

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        SlotGauges.Register(_slots);
        try
        {
            await WorkAsync(stopping);
            // A grains-only silo keeps reporting its 0 slots until it stops.
            if (Slots <= 0) await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            SlotGauges.Unregister(_slots);
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        if (Slots <= 0)
        {
            _logger.LogInformation("worker {Worker}: 0 slots, hosting grains only", WorkerId);
            return;
        }
        for (var i = 0; i < Slots; i++)
        {
            var thread = new Thread(SlotLoop) { IsBackground = true, Name = $"scalesweep-slot-{i}" };
            thread.Start();
            _threads.Add(thread);
        }
        _logger.LogInformation("worker {Worker}: {Slots} slots on {Device}", WorkerId, Slots, _options.Device);
        // Renewals run on their own loop: a long poll for work never delays a heartbeat or a cancellation.
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewals = RenewLoopAsync(renewing.Token);
        try
        {
            await DispatchAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await renewing.CancelAsync();
            await renewals;
            await StopSlotsAsync();
        }
    }

    private async Task DispatchAsync(CancellationToken stopping)
    {
        var scheduler = _grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster);
        var idle = _options.IdlePollMin;
        DateTimeOffset? quarantinedUntil = null;
        while (!stopping.IsCancellationRequested)
        {
            var free = Slots + _options.Prefetch - _active.Values.Count(t => t.Lease.TakesSlot);
            // With leases queued locally, wait until a quarter of the capacity is free: fewer, larger lease calls.
            var worthAsking = !_draining && free > 0 && (_ready.Count == 0 || free >= Math.Max(1, (Slots + _options.Prefetch) / 4));
            // A worker with nothing at all to do long-polls, so it starts on a new sweep at once; a busy one must
            // keep reporting results, so it polls without waiting.
            var idleWorker = _active.IsEmpty && _unsent.Count == 0 && _finished.IsEmpty;
            var request = worthAsking && !(quarantinedUntil > _time.GetUtcNow())
                ? RequestWorkAsync(scheduler, free, idleWorker ? _options.IdlePollMax : TimeSpan.Zero)
                : Task.FromResult<WorkBatch?>(null);
            await Task.WhenAll(ReportAsync(), request);
            var got = 0;
            if (await request is { } batch)
            {
                if (batch.QuarantinedUntil is { } until && quarantinedUntil is null)
                    _logger.LogWarning("worker {Worker}: quarantined until {Until} after {Streak} failures in a row", WorkerId, until, _failureStreak);
                quarantinedUntil = batch.QuarantinedUntil;
                foreach (var unit in batch.Leases.GroupBy(l => (l.SweepId, l.Pack == 0 ? l.LeaseId : l.Pack))) Admit([.. unit]);
                got = TrialLease.Slots(batch.Leases);
            }

            TimeSpan wait;
            if (got > 0 || (idleWorker && request.Result is not null && quarantinedUntil is null))
            {
                // Work came, or the long poll already did the waiting.
                idle = _options.IdlePollMin;
                wait = got > 0 && got < free ? idle : TimeSpan.Zero;
                if (got == free) wait = _options.IdlePollMax;
            }
            else if (quarantinedUntil is { } q)
            {
                wait = q - _time.GetUtcNow();
            }
            else
            {
                wait = idle;
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.IdlePollMax.Ticks));
            }
            if (_unsent.Count > 0) wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 200));
            wait = TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, _options.IdlePollMax.Ticks));
            if (_finished.IsEmpty && wait > TimeSpan.Zero) await _wake.WaitAsync(wait, stopping);
            while (_wake.CurrentCount > 0) _wake.Wait(0);
        }
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        var inFlight = Task.CompletedTask;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_lease.RenewPeriod, _time, stopping);
                // Not awaited before the next period: a call stuck on a silo that just died (up to its response
                // timeout) must not hold back the renewals that reach the sweep's new activation.
                inFlight = RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await inFlight;
    }

    private async Task<WorkBatch?> RequestWorkAsync(ISchedulerGrain scheduler, int capacity, TimeSpan maxWait)
    {
        try
        {
            var asked = _time.GetTimestamp();
            var batch = await scheduler.RequestWork(new WorkRequest(Info, capacity) { MaxWait = maxWait });
            if (batch.Leases.Length > 0) _metrics.RecordLease(_time.GetElapsedTime(asked));
            return batch;
        }
        catch (Exception ex)
        {
            if (_warnings.ShouldLog("request", out var repeats))
                _logger.LogWarning(ex, "worker {Worker}: asking for work failed{Repeats}", WorkerId, RepeatedWarnings.Suffix(repeats));
            await Task.Delay(_options.IdlePollMax, _time);
            return null;
        }
    }

    /// <summary>Queues a trial, or the members of one pack, for one slot.</summary>
    private void Admit(TrialLease[] unit)
    {
        var trials = unit.Select(lease => new ActiveTrial(lease)).Where(t => _active.TryAdd((t.Lease.SweepId, t.Lease.Key), t)).ToArray();
        if (trials.Length > 0) _ready.Add(trials);
    }

    private void SlotLoop()
    {
        foreach (var unit in _ready.GetConsumingEnumerable())
        {
            // A draining worker starts nothing: a lease that arrives while it drains goes back unstarted.
            if (_draining) foreach (var trial in unit) trial.Stop(StopReason.Shutdown);
            var started = _time.GetTimestamp();
            var outcomes = unit.Length == 1
                ? [unit[0].StopReason == StopReason.None ? Run(unit[0]) : new TrialOutcome(unit[0], null, null)]
                : RunPack(unit);
            foreach (var outcome in outcomes)
            {
                // Counted before it leaves the active set, so a drain always finds it in one or the other.
                Interlocked.Increment(ref _outstanding);
                _active.TryRemove((outcome.Trial.Lease.SweepId, outcome.Trial.Lease.Key), out _);
                _metrics.TrialFinished(_time.GetElapsedTime(started));
                _finished.Enqueue(outcome);
            }
            _wake.Release();
        }
    }

    /// <summary>Runs one leased trial on the calling slot thread, with its span and slot gauge around it.</summary>
    internal TrialOutcome Run(ActiveTrial trial)
    {
        var started = _time.GetTimestamp();
        var activity = TrialTelemetry.Start(trial.Lease, WorkerId);
        _slots.Enter();
        var outcome = RunCore(trial);
        _slots.Exit();
        TrialTelemetry.Finish(trial.Lease, outcome.Result, outcome.Error, StoppedAs(trial.StopReason), _time.GetElapsedTime(started), activity);
        return outcome;
    }

    private static string StoppedAs(StopReason reason) => reason switch
    {
        StopReason.Cancelled => "cancelled",
        StopReason.Lost => "lost",
        StopReason.Shutdown => "released",
        _ => "stopped",
    };

    /// <summary>The runner measures; the row is composed here, the only place a worker gives a row its identity.</summary>
    private TrialOutcome RunCore(ActiveTrial trial)
    {
        var lease = trial.Lease;
        var started = _time.GetUtcNow();
        try
        {
            var context = new TrialContext(lease.SweepId, lease.Key, lease.Attempt) { Device = _options.Device, ResultsFolder = lease.ResultsFolder, StopAtStep = lease.StopAtStep };
            var measured = _runner.Run(lease.Spec, context, trial.OnProgress, trial.Cancellation.Token);
            return Outcome(trial, measured, started);
        }
        catch (OperationCanceledException) when (trial.Cancellation.IsCancellationRequested)
        {
            return new TrialOutcome(trial, null, null);
        }
        catch (Exception ex)
        {
            // The sweep gets the message (the row's error column); the stack stays in this silo's log.
            _logger.LogInformation(ex, "worker {Worker}: trial {Trial} of sweep {Sweep} failed on attempt {Attempt}", WorkerId, lease.Key, lease.SweepId, lease.Attempt);
            return new TrialOutcome(trial, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A trial's row from what the runner measured; nothing when it was stopped (cancelled, lost, shut down) mid-run.</summary>
    private TrialOutcome Outcome(ActiveTrial trial, TrialMeasurements measured, DateTimeOffset started)
    {
        var lease = trial.Lease;
        if (measured.Status == TrialStatus.Cancelled && trial.StopReason != StopReason.None) return new TrialOutcome(trial, null, null);
        var attempt = new TrialAttempt(lease.SweepId, lease.Key, lease.Attempt, WorkerId, started, _time.GetUtcNow());
        return new TrialOutcome(trial, TrialRows.Compose(lease.Spec, attempt, measured), null);
    }

    /// <summary>Sends finished trials: results and failures to their sweeps, unstarted shutdowns back as releases.</summary>
    private async Task ReportAsync()
    {
        while (_finished.TryDequeue(out var outcome))
        {
            if (outcome.Result is not null) _failureStreak = 0;
            else if (outcome.Error is not null && outcome.Trial.StopReason == StopReason.None) _failureStreak++;
            _unsent.Add(outcome);
        }
        if (_unsent.Count == 0) return;
        var sends = _unsent.GroupBy(o => o.Trial.Lease.SweepId).Select(SendAsync).ToArray();
        var sent = await Task.WhenAll(sends);
        var done = sent.SelectMany(s => s).ToHashSet();
        Interlocked.Add(ref _outstanding, -_unsent.RemoveAll(done.Contains));
    }

    private async Task<IEnumerable<TrialOutcome>> SendAsync(IGrouping<string, TrialOutcome> outcomes)
    {
        var sweep = _grains.GetGrain<ISweepGrain>(outcomes.Key);
        var results = outcomes.Where(o => o.Result is not null && o.Trial.StopReason != StopReason.Cancelled).ToArray();
        var failures = outcomes.Where(o => o.Result is null && o.Error is not null && o.Trial.StopReason == StopReason.None).ToArray();
        var releases = outcomes.Where(o => o.Result is null && o.Trial.StopReason == StopReason.Shutdown).ToArray();
        try
        {
            if (results.Length > 0) await sweep.Complete(WorkerId, [.. results.Select(o => o.Result!)]);
            foreach (var f in failures) await sweep.Fail(WorkerId, new TrialFailure(f.Trial.Lease.Key, f.Trial.Lease.LeaseId, f.Error!));
            if (releases.Length > 0) await sweep.Release(WorkerId, [.. releases.Select(o => new LeaseRef(o.Trial.Lease.Key, o.Trial.Lease.LeaseId))]);
            return outcomes;
        }
        catch (Exception ex)
        {
            // Kept for the next loop: the sweep may be moving to another silo. First result wins there anyway.
            if (_warnings.ShouldLog("report:" + outcomes.Key, out var repeats))
                _logger.LogWarning(ex, "worker {Worker}: reporting to sweep {Sweep} failed{Repeats}", WorkerId, outcomes.Key, RepeatedWarnings.Suffix(repeats));
            return [];
        }
    }

    /// <summary>Heartbeats every held lease (one call per sweep); stops trials the sweep no longer wants run.</summary>
    private async Task RenewAsync()
    {
        var bySweep = _active.Values.GroupBy(t => t.Lease.SweepId).ToArray();
        await Task.WhenAll(bySweep.Select(async group =>
        {
            var trials = group.ToArray();
            var renewals = trials.Select(t => new LeaseRenewal(t.Lease.Key, t.Lease.LeaseId, t.Progress, t.Lease.Attempt)).ToImmutableArray();
            try
            {
                var verdicts = await _grains.GetGrain<ISweepGrain>(group.Key).Renew(WorkerId, renewals);
                for (var i = 0; i < trials.Length && i < verdicts.Length; i++)
                {
                    if (verdicts[i] == RenewVerdict.Cancelled) trials[i].Stop(StopReason.Cancelled);
                    else if (verdicts[i] == RenewVerdict.Lost) trials[i].Stop(StopReason.Lost);
                }
            }
            catch (Exception ex)
            {
                // The lease has several periods of slack: one failed renewal is not a lost trial.
                if (_warnings.ShouldLog("renew:" + group.Key, out var repeats))
                    _logger.LogWarning(ex, "worker {Worker}: renewing {Count} leases of sweep {Sweep} failed{Repeats}", WorkerId, trials.Length, group.Key,
                        RepeatedWarnings.Suffix(repeats));
            }
        }));
    }

    /// <summary>Stops every trial, waits a grace period for the slots, reports what finished and releases the rest.</summary>
    private async Task StopSlotsAsync()
    {
        foreach (var trial in _active.Values) trial.Stop(StopReason.Shutdown);
        _ready.CompleteAdding();
        var deadline = _time.GetUtcNow() + _options.StopGrace;
        foreach (var thread in _threads)
        {
            var left = deadline - _time.GetUtcNow();
            if (left > TimeSpan.Zero) await Task.Run(() => thread.Join(left));
        }
        foreach (var stuck in _active.Values)
        {
            Interlocked.Increment(ref _outstanding);
            _finished.Enqueue(new TrialOutcome(stuck, null, null));
        }
        try
        {
            await ReportAsync().WaitAsync(TimeSpan.FromSeconds(5), _time);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "worker {Worker}: could not release leases on shutdown; they will expire", WorkerId);
        }
    }
}
