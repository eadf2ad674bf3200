namespace ScaleSweep.Grains.Workers;

/// <summary>Counters and lease latencies of the workers in this process (read by the orchestration benchmark).</summary>
public sealed class WorkerMetrics
{
    private const int MaxSamples = 200_000;
    private readonly Lock _gate = new();
    private readonly List<double> _leaseMs = [];
    private long _trialsRun;
    private long _trialTicks;

    public long TrialsRun => Interlocked.Read(ref _trialsRun);

    /// <summary>Total time slots spent inside runners (what the trials themselves cost, orchestration excluded).</summary>
    public TimeSpan TrialTime => TimeSpan.FromTicks(Interlocked.Read(ref _trialTicks));

    public void TrialFinished(TimeSpan ran)
    {
        Interlocked.Increment(ref _trialsRun);
        Interlocked.Add(ref _trialTicks, ran.Ticks);
    }

    /// <summary>Round trip of one work request that returned at least one lease.</summary>
    public void RecordLease(TimeSpan elapsed)
    {
        lock (_gate)
        {
            if (_leaseMs.Count < MaxSamples) _leaseMs.Add(elapsed.TotalMilliseconds);
        }
    }

    public double[] LeaseLatenciesMs()
    {
        lock (_gate) return [.. _leaseMs];
    }

    public void Reset()
    {
        lock (_gate) _leaseMs.Clear();
        Interlocked.Exchange(ref _trialsRun, 0);
        Interlocked.Exchange(ref _trialTicks, 0);
    }
}
