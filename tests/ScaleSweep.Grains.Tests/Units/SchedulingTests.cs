using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Grains.Scheduling;

namespace ScaleSweep.Grains.Tests.Units;

public class SchedulingTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(5, 2, new[] { 3, 2 })]
    [InlineData(1, 3, new[] { 1, 0, 0 })]
    [InlineData(0, 2, new[] { 0, 0 })]
    public void Capacity_is_split_evenly_with_the_remainder_first(int capacity, int sweeps, int[] expected) =>
        Assert.Equal(expected, FairShare.Split(capacity, sweeps));

    [Fact]
    public void Rotation_moves_the_first_sweep_round_robin()
    {
        string[] sweeps = ["a", "b", "c"];
        Assert.Equal(["b", "c", "a"], FairShare.Rotate(sweeps, 1));
        Assert.Equal(["a", "b", "c"], FairShare.Rotate(sweeps, 3));
    }

    [Fact]
    public void A_worker_failing_many_trials_in_a_row_is_quarantined_while_another_is_healthy()
    {
        var registry = new WorkerRegistry(new SchedulerOptions { QuarantineAfterFailures = 5, QuarantineFor = TimeSpan.FromMinutes(1) });
        Assert.Null(registry.Observe(new WorkerInfo("good", "cpu", 2), T0));
        Assert.Null(registry.Observe(new WorkerInfo("bad", "cpu", 2) { FailureStreak = 4 }, T0));
        var until = registry.Observe(new WorkerInfo("bad", "cpu", 2) { FailureStreak = 5 }, T0);
        Assert.Equal(T0 + TimeSpan.FromMinutes(1), until);
        Assert.NotNull(registry.Observe(new WorkerInfo("bad", "cpu", 2) { FailureStreak = 5 }, T0 + TimeSpan.FromSeconds(30)));
        // After the quarantine, the same streak does not quarantine again; five more failures do.
        Assert.Null(registry.Observe(new WorkerInfo("good", "cpu", 2), T0 + TimeSpan.FromSeconds(61)));
        Assert.Null(registry.Observe(new WorkerInfo("bad", "cpu", 2) { FailureStreak = 5 }, T0 + TimeSpan.FromSeconds(61)));
        Assert.NotNull(registry.Observe(new WorkerInfo("bad", "cpu", 2) { FailureStreak = 10 }, T0 + TimeSpan.FromSeconds(62)));
        Assert.Single(registry.List(T0 + TimeSpan.FromSeconds(62)), w => w.QuarantinedUntil is not null);
    }

    [Fact]
    public void A_lone_failing_worker_is_not_quarantined_the_trials_are_at_fault()
    {
        var registry = new WorkerRegistry(new SchedulerOptions { QuarantineAfterFailures = 5 });
        Assert.Null(registry.Observe(new WorkerInfo("only", "cpu", 2) { FailureStreak = 9 }, T0));
    }
}
