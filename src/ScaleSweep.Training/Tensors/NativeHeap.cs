using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Tensors;

/// <summary>
/// Keeps freed tensor memory mapped between training steps. glibc's malloc serves large blocks (above an adaptive
/// threshold of 128 KiB to 32 MiB) with mmap and unmaps them on free, and returns the heap's top to the system
/// above a trim threshold; a training step frees and reallocates the same activations and gradients every step,
/// so each step page-faults them in again (hundreds of faults and milliseconds of kernel time per step at width
/// 1024). Raising both thresholds once per process, from inside it, keeps that memory for the next step: the
/// process keeps its peak heap instead of returning it between steps.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    /// <summary>glibc's largest allowed mmap threshold on 64-bit (blocks above it are mapped whatever the setting).</summary>
    private const int LargestMmapThreshold = 32 * 1024 * 1024;

    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>Configures the allocator once (idempotent); false where the C library has no <c>mallopt</c> (not glibc).</summary>
    public static bool KeepFreedMemoryMapped() => Configured.Value;

    private static bool Configure()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapThreshold, LargestMmapThreshold) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
