namespace ScaleSweep.Training.Data;

/// <summary>Deterministic mini-batches: a fresh seeded permutation each epoch, batches drawn in order.</summary>
public sealed class BatchSampler(long count, int batch, int seed)
{
    private readonly Random random = new(seed);
    private readonly long[] order = Enumerable.Range(0, checked((int)count)).Select(i => (long)i).ToArray();
    private int position = int.MaxValue;

    public int Batch => batch;

    public long[] Next()
    {
        var result = new long[batch];
        Next(result);
        return result;
    }

    /// <summary>The next batch's indices into <paramref name="result"/> (length <see cref="Batch"/>), so a stream can reuse one array.</summary>
    public void Next(Span<long> result)
    {
        for (int i = 0; i < batch; i++)
        {
            if (position >= order.Length)
            {
                random.Shuffle(order);
                position = 0;
            }
            result[i] = order[position++];
        }
    }
}
