using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Grains.Telemetry;

namespace ScaleSweep.Grains.Scheduling;

/// <summary>
/// The cluster's scheduler. Reentrant: it only rotates a list and fans requests out to sweep grains, so work
/// requests from many workers overlap instead of queueing behind each other's sweep calls (and a sweep calling
/// <see cref="Register"/> while the scheduler waits on that sweep cannot deadlock).
/// </summary>
[Reentrant]
public sealed class SchedulerGrain(
    [PersistentState("scheduler", StorageNames.Sweeps)] IPersistentState<SchedulerState> state,
    IOptions<SchedulerOptions> options,
    TimeProvider clock,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain
{
    private readonly WorkerRegistry _workers = new(options.Value);
    private readonly RepeatedWarnings _warnings = new(clock, RepeatedWarnings.DefaultPeriod);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private static readonly TimeSpan MaxLongPoll = TimeSpan.FromSeconds(5);
    /// <summary>Per worker, where its next request starts in the rotation: other workers' requests do not move it.</summary>
    private readonly Dictionary<string, long> _cursors = [];
    private TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task Register(SweepEntry sweep)
    {
        var changed = false;
        if (!state.State.Sweeps.Any(s => s.Id == sweep.Id))
        {
            state.State.Sweeps.Add(sweep);
            changed = true;
        }
        if (!state.State.Active.Contains(sweep.Id))
        {
            state.State.Active.Add(sweep.Id);
            changed = true;
        }
        // Wake long-polling workers: a new (or resumed) sweep has work.
        var registered = _registered;
        _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        registered.TrySetResult();
        if (changed) await PersistAsync();
    }

    public async Task<WorkBatch> RequestWork(WorkRequest request)
    {
        var now = clock.GetUtcNow();
        if (WorkerSilos.Record(state.State.WorkerSilos, request.Worker)) await PersistAsync();
        if (_workers.Observe(request.Worker, now) is { } until) return new WorkBatch([], until);
        if (request.Capacity <= 0) return WorkBatch.Empty;
        var registered = _registered.Task;
        var leases = await LeaseAcrossSweepsAsync(request);
        if (leases.Length == 0 && request.MaxWait > TimeSpan.Zero)
        {
            // Reentrant: waiting here blocks nobody. Trials that become pending again inside a registered sweep
            // (expired or released leases) are found when the wait times out.
            var wait = request.MaxWait < MaxLongPoll ? request.MaxWait : MaxLongPoll;
            await Task.WhenAny(registered, Task.Delay(wait));
            leases = await LeaseAcrossSweepsAsync(request);
        }
        return new WorkBatch(leases, null);
    }

    private async Task<ImmutableArray<TrialLease>> LeaseAcrossSweepsAsync(WorkRequest request)
    {
        if (state.State.Active.Count == 0) return [];
        var worker = request.Worker.Id;
        var start = _cursors.GetValueOrDefault(worker);
        _cursors[worker] = start + 1;
        var order = FairShare.Rotate(state.State.Active, start);
        var shares = FairShare.Split(request.Capacity, order.Count);
        var leases = ImmutableArray.CreateBuilder<TrialLease>();
        var full = new List<string>();
        var inactive = new List<string>();
        var firstServed = int.MaxValue;

        var grants = await Task.WhenAll(order.Select((id, i) => shares[i] > 0 ? LeaseAsync(id, request.Worker, shares[i]) : Task.FromResult<LeaseGrant?>(null)));
        for (var i = 0; i < order.Count; i++)
        {
            if (grants[i] is not { } grant) continue;
            leases.AddRange(grant.Leases);
            if (grant.Leases.Length > 0) firstServed = Math.Min(firstServed, i);
            if (!grant.Active) inactive.Add(order[i]);
            else if (TrialLease.Slots(grant.Leases) == shares[i]) full.Add(order[i]);
        }
        // Capacity some sweeps could not use goes to those that filled their share, one after the other.
        foreach (var id in full.Concat(order.Where((_, i) => shares[i] == 0)))
        {
            var left = request.Capacity - TrialLease.Slots(leases);
            if (left <= 0) break;
            if (await LeaseAsync(id, request.Worker, left) is not { } grant) continue;
            leases.AddRange(grant.Leases);
            if (grant.Leases.Length > 0) firstServed = Math.Min(firstServed, order.IndexOf(id));
            if (!grant.Active) inactive.Add(id);
        }
        // The next request starts after the first sweep served, not merely one further: sweeps at the head of the
        // order that could not serve this worker (another device, nothing pending) would otherwise hand their turn
        // to the same neighbour every time.
        if (firstServed < order.Count) _cursors[worker] = Math.Max(_cursors[worker], start + firstServed + 1);
        if (inactive.Count > 0)
        {
            state.State.Active.RemoveAll(inactive.Contains);
            await PersistAsync();
        }
        return leases.ToImmutable();
    }

    public async Task SilosLost(ImmutableArray<string> silos)
    {
        var lost = WorkerSilos.On(state.State.WorkerSilos, silos);
        if (lost.IsEmpty) return;
        var sweeps = state.State.Active.ToArray();
        logger.LogInformation("silo {Silos} declared dead: workers {Workers} lose their leases in {Count} active sweeps", string.Join(", ", silos),
            string.Join(", ", lost), sweeps.Length);
        // Every sweep is told even when one fails; the caller retries the whole call (each sweep ignores a repeat).
        var told = await Task.WhenAll(sweeps.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<ISweepGrain>(id).WorkersLost(lost);
                return true;
            }
            catch (Exception ex)
            {
                if (_warnings.ShouldLog("lost:" + id, out var repeats))
                    logger.LogWarning(ex, "telling sweep {Sweep} that workers were lost failed{Repeats}", id, RepeatedWarnings.Suffix(repeats));
                return false;
            }
        }));
        if (told.Contains(false)) throw new InvalidOperationException($"not every sweep could be told that workers {string.Join(", ", lost)} were lost");
        if (WorkerSilos.Forget(state.State.WorkerSilos, lost)) await PersistAsync();
    }

    public Task<ImmutableArray<SweepEntry>> ListSweeps() =>
        Task.FromResult(state.State.Sweeps.OrderByDescending(s => s.SubmittedAt).ToImmutableArray());

    public Task<ImmutableArray<WorkerEntry>> ListWorkers() => Task.FromResult(_workers.List(clock.GetUtcNow()));

    private async Task<LeaseGrant?> LeaseAsync(string sweepId, WorkerInfo worker, int max)
    {
        try
        {
            return await GrainFactory.GetGrain<ISweepGrain>(sweepId).Lease(worker, max);
        }
        catch (Exception ex)
        {
            // One unreachable sweep (its silo just died) must not stop the others from being scheduled.
            if (_warnings.ShouldLog(sweepId, out var repeats))
                logger.LogWarning(ex, "leasing from sweep {Sweep} failed{Repeats}", sweepId, RepeatedWarnings.Suffix(repeats));
            return null;
        }
    }

    private async Task PersistAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
