using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Grains.Sweeps;

/// <summary>
/// The trials of one sweep waiting for a worker, by plan index, one queue per device kind. A trial is queued at most
/// once; one that stopped being pending while queued is skipped when its turn comes.
/// </summary>
internal sealed class PendingQueue(SweepPlan plan)
{
    private readonly Queue<int> _cpu = new();
    private readonly Queue<int> _cuda = new();
    private readonly bool[] _queued = new bool[plan.Trials.Length];
    private readonly bool[] _isCuda = [.. plan.Trials.Select(t => DeviceKind.IsCuda(t.Spec.Device))];

    public void Add(int i)
    {
        if (_queued[i]) return;
        _queued[i] = true;
        (_isCuda[i] ? _cuda : _cpu).Enqueue(i);
    }

    /// <summary>The next trial still pending in <paramref name="statuses"/> that <paramref name="worker"/> can run.</summary>
    public bool TryTake(WorkerInfo worker, TrialStatus[] statuses, out int index)
    {
        // A cuda worker takes cuda trials first, then cpu ones; a cpu worker never sees the cuda queue.
        if (DeviceKind.IsCuda(worker.Device) && TryTake(_cuda, statuses, out index)) return true;
        return TryTake(_cpu, statuses, out index);
    }

    public void Clear()
    {
        _cpu.Clear();
        _cuda.Clear();
        Array.Clear(_queued);
    }

    private bool TryTake(Queue<int> queue, TrialStatus[] statuses, out int index)
    {
        while (queue.TryDequeue(out index))
        {
            _queued[index] = false;
            if (statuses[index] == TrialStatus.Pending) return true;
        }
        return false;
    }
}
