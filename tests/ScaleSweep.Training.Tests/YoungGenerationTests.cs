using ScaleSweep.Training.Tensors;

namespace ScaleSweep.Training.Tests;

public class YoungGenerationTests
{
    /// <summary>
    /// Once the budget's worth of short-lived objects has been allocated, the next step's call collects generation 0
    /// (here the GC would otherwise wait for ≈ 200 MiB). Another thread's call in between also collects, so the count
    /// rises either way; without the collection it stays.
    /// </summary>
    [Fact]
    public void A_step_after_the_budget_is_spent_collects_the_young_generation()
    {
        var before = GC.CollectionCount(0);
        Garbage(2 * YoungGeneration.Budget);
        YoungGeneration.CollectWhenOverBudget();
        Assert.True(GC.CollectionCount(0) > before, "no young collection after twice the budget was allocated");
    }

    private static void Garbage(long bytes)
    {
        for (long made = 0; made < bytes; made += 1024) GC.KeepAlive(new byte[1000]);
    }
}
