using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Trials;

/// <summary>The parts of a training step that <see cref="StepTimer"/> tells apart.</summary>
public enum StepPhase
{
    /// <summary>Drawing the batch's indices and gathering its examples.</summary>
    BatchAssembly,
    Forward,
    Backward,
    /// <summary>Zeroing gradients and updating the parameters.</summary>
    Optimizer,
    /// <summary>Copying the train loss to the host.</summary>
    LossReadBack,
    /// <summary>Freeing the step's temporaries.</summary>
    DisposeScope,
}

/// <summary>
/// Where a training step's time goes: the trainer laps it between phases (<c>scalesweep bench --profile</c>).
/// It keeps wall time and the calling thread's CPU time (user + kernel): a 1-thread step runs its kernels on
/// the calling thread, so CPU time is its cost even on a machine busy with other work, where wall time is not.
/// The first <paramref name="skipSteps"/> steps are not counted (allocator and kernel warm-up).
/// </summary>
public sealed class StepTimer(int skipSteps = 0)
{
    private static readonly int PhaseCount = Enum.GetValues<StepPhase>().Length;
    private readonly long[] wallTicks = new long[PhaseCount];
    private readonly long[] cpuNanoseconds = new long[PhaseCount];
    private long wallMark, cpuMark;
    private int started;

    /// <summary>Steps counted so far.</summary>
    public int Steps => Math.Max(0, started - skipSteps);

    /// <summary>Starts a step: the time to the next <see cref="Lap"/> belongs to that lap's phase.</summary>
    public void StartStep()
    {
        started++;
        wallMark = Stopwatch.GetTimestamp();
        cpuMark = ThreadCpuNanoseconds();
    }

    public void Lap(StepPhase phase)
    {
        var wall = Stopwatch.GetTimestamp();
        var cpu = ThreadCpuNanoseconds();
        if (started > skipSteps)
        {
            wallTicks[(int)phase] += wall - wallMark;
            cpuNanoseconds[(int)phase] += cpu - cpuMark;
        }
        (wallMark, cpuMark) = (wall, cpu);
    }

    /// <summary>Mean wall milliseconds per counted step spent in <paramref name="phase"/>.</summary>
    public double WallMillisecondsPerStep(StepPhase phase) =>
        Steps == 0 ? 0 : wallTicks[(int)phase] * 1000.0 / Stopwatch.Frequency / Steps;

    /// <summary>Mean CPU milliseconds of the calling thread per counted step in <paramref name="phase"/> (wall time where the OS has no thread clock).</summary>
    public double CpuMillisecondsPerStep(StepPhase phase) =>
        !HasThreadClock ? WallMillisecondsPerStep(phase) : Steps == 0 ? 0 : cpuNanoseconds[(int)phase] / 1e6 / Steps;

    private static readonly bool HasThreadClock = OperatingSystem.IsLinux();

    private const int ClockThreadCpuTime = 3;

    private static long ThreadCpuNanoseconds()
    {
        if (!HasThreadClock || clock_gettime(ClockThreadCpuTime, out var time) != 0) return 0;
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out Timespec time);
}
