using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Tests.Support;
using ScaleSweep.Grains.Workers;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>The worker without a cluster: one trial on the calling thread, and the dispatcher against grains that fail.</summary>
public class WorkerServiceTests
{
    private static readonly DateTimeOffset T0 = new(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static readonly TrialMeasurements Measured = new()
    {
        Status = TrialStatus.Completed,
        FinalTrainLoss = 1.25,
        FinalEvalLoss = 1.5,
        Steps = 40,
        WallSeconds = 90,
        Curve = [new CurvePoint(40, 1.25, 1.5, 0.01)],
    };

    private static TrialLease Lease(string kind = "scripted")
    {
        var spec = TestPlans.Spec(kind, 64, 0.01);
        return new TrialLease("sweep-3", TrialKey.For(spec), LeaseId: 11, Attempt: 2, spec);
    }

    private static WorkerService Worker(ITrialRunner trainer, TimeProvider time, ILogger<WorkerService>? logger = null, IGrainFactory? grains = null)
    {
        var services = new ServiceCollection().AddSingleton(trainer).BuildServiceProvider();
        return new WorkerService(grains ?? FailingGrains.Create(), new TrialRunnerRouter(services, new NoopTrialRunner(), Options.Create(new WorkerOptions())),
            Options.Create(new WorkerOptions { Name = "worker-7", Slots = 1, IdlePollMax = TimeSpan.FromMilliseconds(20) }),
            Options.Create(new LeaseOptions { RenewPeriod = TimeSpan.FromMilliseconds(20), LeaseDuration = TimeSpan.FromSeconds(1) }),
            new WorkerMetrics(), logger ?? NullLogger<WorkerService>.Instance, time);
    }

    [Fact]
    public void A_row_gets_the_leases_identity_this_worker_and_its_clocks_start_and_finish()
    {
        var clock = new ManualClock(T0);
        var lease = Lease();
        var outcome = Worker(new ScriptedRunner(() => { clock.Now += TimeSpan.FromSeconds(90); return Measured; }), clock).Run(new ActiveTrial(lease));

        Assert.Null(outcome.Error);
        var expected = TrialRows.Compose(lease.Spec, new TrialAttempt("sweep-3", lease.Key, 2, "worker-7", T0, T0.AddSeconds(90)), Measured);
        Assert.Equal(expected, outcome.Result);
    }

    [Fact]
    public void A_trial_stopped_by_the_worker_reports_no_row()
    {
        var trial = new ActiveTrial(Lease());
        var worker = Worker(new ScriptedRunner(() =>
        {
            trial.Stop(StopReason.Lost);
            return TrialMeasurements.None(TrialStatus.Cancelled);
        }), new ManualClock(T0));
        var outcome = worker.Run(trial);
        Assert.Null(outcome.Result);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void A_throwing_trial_is_reported_by_message_and_logged_with_its_whole_exception()
    {
        var log = new RecordingLogger();
        var boom = new InvalidOperationException("boom");
        var outcome = Worker(new ScriptedRunner(() => throw boom), new ManualClock(T0), log).Run(new ActiveTrial(Lease()));
        Assert.Null(outcome.Result);
        Assert.Equal("InvalidOperationException: boom", outcome.Error);
        Assert.Same(boom, Assert.Single(log.Entries).Exception);
    }

    [Fact]
    public async Task A_failing_work_request_is_logged_with_its_whole_exception()
    {
        var log = new RecordingLogger();
        var worker = Worker(new ScriptedRunner(() => Measured), TimeProvider.System, log);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!log.Entries.Any(e => e.Level == LogLevel.Warning) && DateTime.UtcNow < deadline) await Task.Delay(10);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        var entry = log.Entries.First(e => e.Level == LogLevel.Warning);
        Assert.Contains("asking for work failed", entry.Message);
        Assert.IsType<FailingGrains.Unreachable>(entry.Exception);
    }

    [Fact]
    public async Task A_result_whose_report_fails_is_kept_and_sent_again_until_acknowledged()
    {
        var grains = FlakySweep.Create(Lease(), failingReports: 2);
        var worker = Worker(new ScriptedRunner(() => Measured), TimeProvider.System, grains: grains.Factory);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (grains.Acknowledged.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(10);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        // Two reports failed (the sweep's host was dying); the third carried the same row and nothing else.
        Assert.Equal(3, grains.Reports);
        var row = Assert.Single(grains.Acknowledged);
        Assert.Equal(Lease().Key, row.TrialKey);
        Assert.Equal(2, row.Attempt);
    }

    private sealed class ScriptedRunner(Func<TrialMeasurements> run) : ITrialRunner
    {
        public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) => run();
    }

    private sealed class RecordingLogger : ILogger<WorkerService>
    {
        public sealed record Entry(LogLevel Level, Exception? Exception, string Message);

        public System.Collections.Concurrent.ConcurrentQueue<Entry> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue(new Entry(logLevel, exception, formatter(state, exception)));
    }

    /// <summary>A grain factory whose grains fail every call, as when the cluster cannot be reached.</summary>
    private class FailingGrains : DispatchProxy
    {
        public sealed class Unreachable() : Exception("the cluster cannot be reached");

        public static IGrainFactory Create() => DispatchProxy.Create<IGrainFactory, FailingGrains>();

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            // GetGrain<T>(...) hands out a grain of T whose every call fails; anything else is not used by the worker.
            if (method is { Name: "GetGrain", IsGenericMethod: true } && method.ReturnType.IsInterface)
                return DispatchProxy.Create(method.ReturnType, typeof(FailingGrain));
            throw new NotSupportedException(method?.Name);
        }
    }

    /// <summary>One lease from the scheduler; the sweep refuses the first reports, then acknowledges.</summary>
    private sealed class FlakySweep
    {
        private readonly TrialLease _lease;
        private readonly int _failingReports;
        private int _leased;
        private int _reports;

        private FlakySweep(TrialLease lease, int failingReports)
        {
            _lease = lease;
            _failingReports = failingReports;
            var factory = DispatchProxy.Create<IGrainFactory, Proxy>();
            ((Proxy)factory).Handle = (method, _) => method.Name == "GetGrain" ? Grain(method.ReturnType) : throw new NotSupportedException(method.Name);
            Factory = factory;
        }

        public IGrainFactory Factory { get; }

        public int Reports => _reports;

        public ConcurrentQueue<TrialResult> Acknowledged { get; } = new();

        public static FlakySweep Create(TrialLease lease, int failingReports) => new(lease, failingReports);

        private object Grain(Type type)
        {
            var grain = DispatchProxy.Create(type, typeof(Proxy));
            ((Proxy)grain).Handle = Call;
            return grain;
        }

        private object? Call(MethodInfo method, object?[] args) => method.Name switch
        {
            nameof(ISchedulerGrain.RequestWork) => Task.FromResult(new WorkBatch(
                Interlocked.Exchange(ref _leased, 1) == 0 ? [_lease] : [], null)),
            nameof(ISweepGrain.Renew) => Task.FromResult(((ImmutableArray<LeaseRenewal>)args[1]!).Select(_ => RenewVerdict.Ok).ToImmutableArray()),
            nameof(ISweepGrain.Complete) => Complete((ImmutableArray<TrialResult>)args[1]!),
            _ => throw new NotSupportedException(method.Name),
        };

        private Task<CompletionReceipt> Complete(ImmutableArray<TrialResult> results)
        {
            if (Interlocked.Increment(ref _reports) <= _failingReports) return Task.FromException<CompletionReceipt>(new TimeoutException("the sweep's host died"));
            foreach (var r in results) Acknowledged.Enqueue(r);
            return Task.FromResult(new CompletionReceipt(results.Length, 0));
        }

        public class Proxy : DispatchProxy
        {
            public Func<MethodInfo, object?[], object?> Handle { get; set; } = (m, _) => throw new NotSupportedException(m.Name);

            protected override object? Invoke(MethodInfo? method, object?[]? args) => Handle(method!, args ?? []);
        }
    }

    private class FailingGrain : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? method, object?[]? args) => throw new FailingGrains.Unreachable();
    }
}
