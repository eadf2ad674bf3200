using System.Runtime.InteropServices;

namespace ScaleSweep.Training.Diagnostics;

/// <summary>Minor and major page faults of the calling thread so far (getrusage with RUSAGE_THREAD; 0 where unavailable).</summary>
public static class PageFaults
{
    private const int RusageThread = 1;

    public static long OfThisThread()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return getrusage(RusageThread, out var usage) == 0 ? usage.MinorFaults + usage.MajorFaults : 0;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs (maxrss, ixrss, idrss, isrss, minflt, majflt, ...).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
        public long MaxRss, SharedMemory, UnsharedData, UnsharedStack;
        public long MinorFaults, MajorFaults;
        public long Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);
}
