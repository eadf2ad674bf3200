using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>
/// A worker drained (its silo got SIGTERM) against a scripted scheduler and sweep: no lease is asked for once the
/// drain starts, running trials finish in the grace, what outlives it is released. Trials are held by a gate the test
/// opens, never by timing.
/// </summary>
public class WorkerDrainTests
{
    [Fact]
    public async Task A_draining_worker_asks_for_no_lease_and_its_running_trials_finish_and_are_reported()
    {
        var cluster = new ScriptedCluster(leases: 4);
        var runner = new GatedRunner();
        var worker = Worker(cluster, runner, grace: TimeSpan.FromMinutes(5));
        cluster.Worker = worker;
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Both slots hold a trial at the gate, so the worker has no free slot and asks for nothing.
            await Until(() => runner.Started.Count == 2);
            var drained = worker.DrainAsync();
            Assert.True(worker.Draining);
            runner.Open();
            await drained.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(runner.Started.Keys.Order(), cluster.Completed.Order());
            Assert.Empty(cluster.Released);
            Assert.Equal(0, cluster.RequestsWhileDraining);
            // The two leases the scheduler still had were never taken, let alone started.
            Assert.Equal(2, runner.Started.Count);
        }
        finally
        {
            runner.Open();
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Trials_still_running_after_the_grace_are_stopped_and_their_leases_given_back()
    {
        var cluster = new ScriptedCluster(leases: 2);
        var runner = new GatedRunner();
        var worker = Worker(cluster, runner, grace: TimeSpan.FromMilliseconds(200));
        cluster.Worker = worker;
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Until(() => runner.Started.Count == 2);
            // The gate never opens: only the end of the grace stops these trials.
            await worker.DrainAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(runner.Started.Keys.Order(), cluster.Released.Order());
            Assert.Empty(cluster.Completed);
            Assert.Equal(0, cluster.RequestsWhileDraining);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static WorkerService Worker(ScriptedCluster cluster, ITrialRunner runner, TimeSpan grace)
    {
        var services = new ServiceCollection().AddSingleton(runner).BuildServiceProvider();
        return new WorkerService(cluster.Grains, new TrialRunnerRouter(services, new NoopTrialRunner(), Options.Create(new WorkerOptions())),
            Options.Create(new WorkerOptions { Name = "drained", Slots = 2, StopGrace = grace, IdlePollMax = TimeSpan.FromMilliseconds(20) }),
            Options.Create(new LeaseOptions { RenewPeriod = TimeSpan.FromMilliseconds(50), LeaseDuration = TimeSpan.FromSeconds(10) }),
            new WorkerMetrics(), NullLogger<WorkerService>.Instance, TimeProvider.System);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>Trials that finish once the test opens the gate, or end when cancelled.</summary>
    private sealed class GatedRunner : ITrialRunner
    {
        private readonly ManualResetEventSlim _gate = new();

        public ConcurrentDictionary<string, bool> Started { get; } = new();

        public void Open() => _gate.Set();

        public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation)
        {
            Started[TrialKey.For(spec)] = true;
            _gate.Wait(cancellation);
            return TrialMeasurements.None(TrialStatus.Completed) with { FinalTrainLoss = 1.0 };
        }
    }

    /// <summary>A scheduler holding <c>leases</c> trials, and one sweep that records what the worker reports.</summary>
    private sealed class ScriptedCluster
    {
        private readonly ConcurrentQueue<TrialLease> _leases = new();

        public ScriptedCluster(int leases)
        {
            for (var i = 0; i < leases; i++)
            {
                var spec = TestPlans.Spec("scripted", 64, Math.Pow(2, -i));
                _leases.Enqueue(new TrialLease("sweep-d", TrialKey.For(spec), LeaseId: i + 1, Attempt: 1, spec));
            }
            Grains = DispatchProxy.Create<IGrainFactory, Factory>();
            ((Factory)(object)Grains).Cluster = this;
        }

        public IGrainFactory Grains { get; }

        public WorkerService? Worker { get; set; }

        public ConcurrentBag<string> Completed { get; } = [];

        public ConcurrentBag<string> Released { get; } = [];

        public int RequestsWhileDraining;

        public object? Answer(string method, object?[] args)
        {
            switch (method)
            {
                case nameof(ISchedulerGrain.RequestWork):
                    var request = (WorkRequest)args[0]!;
                    if (Worker?.Draining == true) Interlocked.Increment(ref RequestsWhileDraining);
                    var batch = ImmutableArray.CreateBuilder<TrialLease>();
                    while (batch.Count < request.Capacity && _leases.TryDequeue(out var lease)) batch.Add(lease);
                    return Task.FromResult(new WorkBatch(batch.ToImmutable(), null));
                case nameof(ISweepGrain.Renew):
                    var renewals = (ImmutableArray<LeaseRenewal>)args[1]!;
                    return Task.FromResult(renewals.Select(_ => RenewVerdict.Ok).ToImmutableArray());
                case nameof(ISweepGrain.Complete):
                    var results = (ImmutableArray<TrialResult>)args[1]!;
                    foreach (var r in results) Completed.Add(r.TrialKey);
                    return Task.FromResult(new CompletionReceipt(results.Length, 0));
                case nameof(ISweepGrain.Release):
                    foreach (var l in (ImmutableArray<LeaseRef>)args[1]!) Released.Add(l.Key);
                    return Task.CompletedTask;
                default:
                    throw new NotSupportedException(method);
            }
        }
    }

    private class Factory : DispatchProxy
    {
        public ScriptedCluster? Cluster { get; set; }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method is not { Name: "GetGrain", IsGenericMethod: true } || !method.ReturnType.IsInterface) throw new NotSupportedException(method?.Name);
            var grain = DispatchProxy.Create(method.ReturnType, typeof(Grain));
            ((Grain)grain).Cluster = Cluster;
            return grain;
        }
    }

    private class Grain : DispatchProxy
    {
        public ScriptedCluster? Cluster { get; set; }

        protected override object? Invoke(MethodInfo? method, object?[]? args) => Cluster!.Answer(method!.Name, args ?? []);
    }
}
