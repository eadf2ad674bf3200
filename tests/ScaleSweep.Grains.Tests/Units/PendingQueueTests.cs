using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;
using ScaleSweep.Grains.Tests.Support;

namespace ScaleSweep.Grains.Tests.Units;

public class PendingQueueTests
{
    private static readonly WorkerInfo Cpu = new("cpu-1", "cpu", 1);
    private static readonly WorkerInfo Gpu = new("gpu-1", "cuda:0", 1);

    [Fact]
    public void A_cuda_worker_takes_cuda_trials_first_and_a_trial_is_queued_once_and_skipped_once_no_longer_pending()
    {
        // Trials 0 and 1 run on cpu, 2 and 3 on cuda.
        var plan = TestPlans.Make("queue", [.. new[] { "cpu", "cpu", "cuda", "cuda" }.Select((d, i) => TestPlans.Planned(TestPlans.Spec("noop", 64 + i, 0.01, device: d)))]);
        var statuses = new TrialStatus[4];
        var queue = new PendingQueue(plan);
        foreach (var i in new[] { 0, 1, 2, 3, 0, 2 }) queue.Add(i);
        statuses[3] = TrialStatus.Leased;

        var taken = new List<int>();
        while (queue.TryTake(Gpu, statuses, out var i)) taken.Add(i);
        Assert.Equal([2, 0, 1], taken);

        queue.Add(3);
        Assert.False(queue.TryTake(Cpu, statuses, out _));
        statuses[3] = TrialStatus.Pending;
        queue.Add(3);
        Assert.True(queue.TryTake(Gpu, statuses, out var cuda));
        Assert.Equal(3, cuda);
    }
}
