namespace ScaleSweep.Cli.Commands;

/// <summary>
/// The OpenBLAS kernel set for this CPU's vector instructions. OpenBLAS picks its kernels from the CPU model and falls
/// back to generic "Prescott" ones for a model it does not know (common in virtual machines, where that makes PyTorch
/// several times slower); the benchmark names the right set so that it compares against a fair reference.
/// </summary>
internal static class OpenBlasCore
{
    public static string? ForThisCpu()
    {
        var flags = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? []
            : [];
        return flags.Contains("avx512f") ? "SkylakeX" : flags.Contains("avx2") ? "Haswell" : null;
    }
}
