using ScaleSweep.Training.Tensors;

namespace ScaleSweep.Training.Tests;

public class NativeHeapTests
{
    /// <summary>
    /// The allocator setting reaches glibc (mallopt accepts both thresholds). Its effect is measured by
    /// <c>scalesweep bench</c> (page faults per step at width 1024: ≈ 4,300 without, ≈ 300 with, on the development
    /// machine); the count depends on what the GC does on the same thread, so it is a benchmark figure, not a test.
    /// </summary>
    [Fact]
    public void The_trainer_can_keep_freed_tensor_memory_mapped_on_glibc()
    {
        Assert.True(NativeHeap.KeepFreedMemoryMapped());
        Assert.True(NativeHeap.KeepFreedMemoryMapped());
    }
}
