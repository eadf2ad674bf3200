using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Results;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public class SweepLifecycleTests(ClusterFixture fx)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_noop_sweep_stores_every_trial_exactly_once()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("noop"), 40, workMs: 5);
        var id = plan.Name;
        var submitted = await fx.Grains.GetGrain<ISweepGrain>(id).Submit(plan);
        Assert.Equal(SweepState.Running, submitted.State);

        var status = await Waits.ForFinalized(fx.Grains, id, Timeout);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(40, status.Counts.Completed);
        var rows = await StoredRows.ReadAsync(status);
        Assert.Equal(plan.Trials.Select(t => t.Key).Order(), rows.Select(r => r.TrialKey).Order());
        Assert.All(rows, r => Assert.Equal(id, r.SweepId));
        Assert.All(rows, r => Assert.Equal(NoopTrialRunnerLoss(plan, r.TrialKey), r.FinalTrainLoss));
        // The aggregator ran the transfer analysis once every trial was stored.
        foreach (var file in new[] { "transfer.json", "report.md", "sweep.json" })
            Assert.True(File.Exists(Path.Combine(status.Analysis!.Directory, file)), file);
    }

    [Fact]
    public async Task Workers_advertise_their_device_and_slots()
    {
        var workers = await fx.Grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster).ListWorkers();
        var real = workers.Where(w => w.Worker.Slots == 2 && w.Worker.Device == "cpu").ToArray();
        Assert.True(real.Length >= 3, string.Join(", ", workers.Select(w => $"{w.Worker.Id}:{w.Worker.Device}x{w.Worker.Slots}")));
        Assert.All(real, w => Assert.Null(w.QuarantinedUntil));
    }

    [Fact]
    public async Task A_trial_that_always_throws_ends_failed_after_max_attempts_with_its_error()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("throw"), 2, kind: "throw", maxAttempts: 2);
        await fx.Grains.GetGrain<ISweepGrain>(plan.Name).Submit(plan);

        var status = await Waits.ForFinalized(fx.Grains, plan.Name, Timeout);
        Assert.Equal(2, status.Counts.Failed);
        Assert.Equal(2, status.Retries);
        foreach (var trial in plan.Trials)
            Assert.Equal($"InvalidOperationException: boom in {trial.Key}", status.Errors[trial.Key]);
        var rows = await StoredRows.ReadAsync(status);
        Assert.All(rows, r =>
        {
            Assert.Equal(TrialStatus.Failed, r.Status);
            Assert.Equal(2, r.Attempt);
            Assert.Contains("boom", r.Error);
        });
    }

    [Fact]
    public async Task Cancel_reaches_running_trials_within_one_renewal_period()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("block"), 3, kind: "block");
        var sweep = fx.Grains.GetGrain<ISweepGrain>(plan.Name);
        await sweep.Submit(plan);
        var keys = plan.Trials.Select(t => t.Key).ToArray();
        await WaitUntil(() => keys.All(ScriptedTrialRunner.Started.ContainsKey), "every blocking trial started");
        // Progress travels with the renewals.
        await Waits.ForStatus(fx.Grains, plan.Name, s => s.Running.Length == 3 && s.Running.All(r => r.Step == 1 && r.TrainLoss == 2.5), Timeout);

        var cancelledAt = DateTimeOffset.UtcNow;
        var status = await sweep.Cancel();
        Assert.Equal(SweepState.Cancelled, status.State);
        Assert.Equal(3, status.Counts.Cancelled);
        await WaitUntil(() => keys.All(ScriptedTrialRunner.CancelledAt.ContainsKey), "every token fired");
        foreach (var key in keys)
        {
            var delay = ScriptedTrialRunner.CancelledAt[key] - cancelledAt;
            // One renewal period plus the round trip and thread wake-up on a busy two-core machine.
            Assert.True(delay < TestSiloConfigurator.RenewPeriod + TimeSpan.FromMilliseconds(700), $"token of {key} fired {delay.TotalMilliseconds:F0} ms after cancel");
        }
        var final = await Waits.ForFinalized(fx.Grains, plan.Name, Timeout);
        Assert.All(await StoredRows.ReadAsync(final), r => Assert.Equal(TrialStatus.Cancelled, r.Status));
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_expires_and_the_trial_is_pending_again()
    {
        // A cuda trial: the cpu workers of the test cluster cannot take it, only the test's ghost worker.
        var plan = TestPlans.Make(TestPlans.UniqueName("expiry"), 1, device: "cuda");
        var sweep = fx.Grains.GetGrain<ISweepGrain>(plan.Name);
        await sweep.Submit(plan);
        var ghost = new WorkerInfo("ghost", "cuda:0", 1);
        var lease = Assert.Single((await sweep.Lease(ghost, 1)).Leases);

        // Renewing keeps it past its original duration...
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TestSiloConfigurator.LeaseDuration / 2);
            Assert.Equal(RenewVerdict.Ok, (await sweep.Renew(ghost.Id, [new LeaseRenewal(lease.Key, lease.LeaseId, null)]))[0]);
        }
        Assert.Equal(1, (await sweep.GetStatus()).Counts.Running);

        // ...and a worker that stops renewing loses it.
        var status = await Waits.ForStatus(fx.Grains, plan.Name, s => s.Counts.Pending == 1, TestSiloConfigurator.LeaseDuration * 3);
        Assert.Equal(1, status.Retries);

        var again = Assert.Single((await sweep.Lease(new WorkerInfo("ghost-2", "cuda:1", 1), 1)).Leases);
        Assert.Equal(lease.Key, again.Key);
        Assert.Equal(2, again.Attempt);
        await sweep.Complete("ghost-2", [TestRows.For(again, silo: "ghost-2")]);
        var final = await Waits.ForFinalized(fx.Grains, plan.Name, Timeout);
        Assert.Equal(2, Assert.Single(await StoredRows.ReadAsync(final)).Attempt);
    }

    [Fact]
    public async Task A_duplicate_completion_is_dropped_and_counted()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("dup"), 1, device: "cuda");
        var sweep = fx.Grains.GetGrain<ISweepGrain>(plan.Name);
        await sweep.Submit(plan);
        var lease = Assert.Single((await sweep.Lease(new WorkerInfo("ghost", "cuda:0", 1), 1)).Leases);
        var first = TestRows.For(lease, TrialMeasurements.None(TrialStatus.Completed) with { FinalTrainLoss = 1.0 }, silo: "ghost");
        var late = first with { FinalTrainLoss = 2.0, Silo = "late" };

        Assert.Equal(new CompletionReceipt(1, 0), await sweep.Complete("ghost", [first]));
        Assert.Equal(new CompletionReceipt(0, 1), await sweep.Complete("late", [late]));

        var status = await Waits.ForFinalized(fx.Grains, plan.Name, Timeout);
        Assert.Equal(1, status.DuplicatesDropped);
        var row = Assert.Single(await StoredRows.ReadAsync(status));
        Assert.Equal(1.0, row.FinalTrainLoss);
        Assert.Equal("ghost", row.Silo);
    }

    [Fact]
    public async Task Cuda_trials_never_go_to_a_cpu_worker()
    {
        var cpu = Enumerable.Range(0, 6).Select(i => TestPlans.Planned(TestPlans.Spec("noop", 64 + i, 0.01)));
        var cuda = Enumerable.Range(0, 2).Select(i => TestPlans.Planned(TestPlans.Spec("noop", 64 + i, 0.01, device: "cuda")));
        var plan = TestPlans.Make(TestPlans.UniqueName("mixed"), [.. cpu, .. cuda]);
        var sweep = fx.Grains.GetGrain<ISweepGrain>(plan.Name);
        await sweep.Submit(plan);

        var status = await Waits.ForStatus(fx.Grains, plan.Name, s => s.Counts.Completed == 6, Timeout);
        // The cpu workers keep asking, but the cuda trials stay untouched.
        await Task.Delay(TestSiloConfigurator.RenewPeriod * 3);
        status = await sweep.GetStatus();
        Assert.Equal(2, status.Counts.Pending);
        Assert.Equal(0, status.Retries);

        var scheduler = fx.Grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster);
        var gpu = new WorkerInfo("gpu-ghost", "cuda:0", 2);
        var leases = (await scheduler.RequestWork(new WorkRequest(gpu, 2))).Leases.Where(l => l.SweepId == plan.Name).ToArray();
        Assert.Equal(2, leases.Length);
        Assert.All(leases, l => Assert.Equal("cuda", l.Spec.Device));
        await sweep.Complete(gpu.Id, [.. leases.Select(l => TestRows.For(l, silo: gpu.Id))]);

        var rows = await StoredRows.ReadAsync(await Waits.ForFinalized(fx.Grains, plan.Name, Timeout));
        Assert.Equal(8, rows.Length);
        var cudaKeys = cuda.Select(c => c.Key).ToHashSet();
        Assert.All(rows, r => Assert.Equal(cudaKeys.Contains(r.TrialKey), r.Silo == gpu.Id));
    }

    [Fact]
    public async Task Two_sweeps_get_a_fair_share_of_a_worker()
    {
        var a = TestPlans.Make(TestPlans.UniqueName("fair-a"), 12, device: "cuda");
        var b = TestPlans.Make(TestPlans.UniqueName("fair-b"), 12, device: "cuda");
        var busy = TestPlans.Make(TestPlans.UniqueName("fair-busy"), 1, device: "cuda");
        await fx.Grains.GetGrain<ISweepGrain>(a.Name).Submit(a);
        await fx.Grains.GetGrain<ISweepGrain>(b.Name).Submit(b);
        var scheduler = fx.Grains.GetGrain<ISchedulerGrain>(ISchedulerGrain.Cluster);
        var gpu = new WorkerInfo("fair-ghost", "cuda:0", 8);
        try
        {
            var batch = (await scheduler.RequestWork(new WorkRequest(gpu, 4))).Leases;
            Assert.Equal(2, batch.Count(l => l.SweepId == a.Name));
            Assert.Equal(2, batch.Count(l => l.SweepId == b.Name));

            // One at a time, the two sweeps alternate, also beside a third active sweep with nothing to lease (its one
            // trial held by another worker, renewed before every request): its turns must not always fall to the
            // same neighbour.
            var busyGrain = fx.Grains.GetGrain<ISweepGrain>(busy.Name);
            await busyGrain.Submit(busy);
            var holder = new WorkerInfo("fair-holder", "cuda:1", 1);
            var held = Assert.Single((await busyGrain.Lease(holder, 1)).Leases);
            var singles = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                await busyGrain.Renew(holder.Id, [new LeaseRenewal(held.Key, held.LeaseId, null, held.Attempt)]);
                singles.AddRange((await scheduler.RequestWork(new WorkRequest(gpu, 1))).Leases.Select(l => l.SweepId));
            }
            var fromA = singles.Count(s => s == a.Name);
            var fromB = singles.Count(s => s == b.Name);
            Assert.True(Math.Abs(fromA - fromB) <= 1, $"a got {fromA}, b got {fromB}");
            Assert.True(fromA + fromB >= 4);
        }
        finally
        {
            await fx.Grains.GetGrain<ISweepGrain>(a.Name).Cancel();
            await fx.Grains.GetGrain<ISweepGrain>(b.Name).Cancel();
            await fx.Grains.GetGrain<ISweepGrain>(busy.Name).Cancel();
        }
    }

    [Fact]
    public async Task A_resubmitted_sweep_skips_trials_already_stored()
    {
        var plan = TestPlans.Make(TestPlans.UniqueName("resume"), 8);
        plan = plan with { Settings = plan.Settings with { Output = plan.Name } };
        await fx.Grains.GetGrain<ISweepGrain>(plan.Name).Submit(plan);
        var first = await Waits.ForFinalized(fx.Grains, plan.Name, Timeout);
        Assert.Equal(8, first.Counts.Completed);

        var second = await fx.Grains.GetGrain<ISweepGrain>(plan.Name + "-again").Submit(plan);
        Assert.Equal(8, second.Resumed);
        Assert.Equal(SweepState.Completed, second.State);
        var rows = await StoredRows.ReadAsync(await Waits.ForFinalized(fx.Grains, plan.Name + "-again", Timeout));
        Assert.Equal(8, rows.Length);
        Assert.All(rows, r => Assert.Equal(plan.Name, r.SweepId));
    }

    private static double? NoopTrialRunnerLoss(Abstractions.Sweeps.SweepPlan plan, string key) =>
        Workers.NoopTrialRunner.FakeLoss(plan.Trials.Single(t => t.Key == key).Spec);

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
