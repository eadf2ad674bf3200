namespace ScaleSweep.Grains.Workers;

/// <summary>
/// The <c>noop</c> model's gate: a trial finishes only once the gate file exists, except the first
/// <c>passes</c> trials, which each claim a pass by creating <c>GATE.pass-i</c> exclusively. Exclusive creation is
/// atomic across processes, so silos on one machine share the count and exactly that many trials pass; the
/// rest wait (cancellably) until someone creates the gate file. This lets a test hold a sweep at a known point
/// instead of racing it.
/// </summary>
public static class NoopGate
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns when the trial may finish; throws <see cref="OperationCanceledException"/> if cancelled first.</summary>
    public static void Pass(string gate, int passes, CancellationToken cancellation)
    {
        if (File.Exists(gate) || ClaimPass(gate, passes)) return;
        while (!File.Exists(gate))
        {
            if (cancellation.WaitHandle.WaitOne(Poll)) cancellation.ThrowIfCancellationRequested();
        }
    }

    private static bool ClaimPass(string gate, int passes)
    {
        for (var i = 0; i < passes; i++)
        {
            try
            {
                using var _ = new FileStream($"{gate}.pass-{i}", FileMode.CreateNew, FileAccess.Write);
                return true;
            }
            catch (IOException) when (File.Exists($"{gate}.pass-{i}"))
            {
                // Taken by another trial: try the next pass.
            }
        }
        return false;
    }
}
