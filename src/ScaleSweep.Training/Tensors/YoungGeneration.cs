namespace ScaleSweep.Training.Tensors;

/// <summary>
/// Keeps the .NET heap of a training process at a few MiB. The GC sizes its youngest generation from the CPU's
/// last-level cache: on a VM that reports a 260 MiB L3 it first collects after about 200 MiB, while a training step
/// allocates only a few KB of short-lived handles (3 KB for a trial alone, 11 KB for a pack of four): the process
/// grows by tens of MiB over thousands of steps and keeps that memory committed, which reads as a leak in RSS. A
/// forced young collection once <see cref="Budget"/> bytes have been allocated since the last one (once per
/// hundreds to thousands of steps, with a small live set) keeps the young heap at that budget.
/// </summary>
public static class YoungGeneration
{
    /// <summary>Bytes allocated (by all threads) between two forced collections.</summary>
    public const long Budget = 8L << 20;

    private static long _collectedAt;

    /// <summary>Called once per training step; collects generation 0 when the budget is spent (one caller does).</summary>
    public static void CollectWhenOverBudget()
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var last = Volatile.Read(ref _collectedAt);
        if (allocated - last < Budget || Interlocked.CompareExchange(ref _collectedAt, allocated, last) != last) return;
        GC.Collect(0);
    }
}
