using static TorchSharp.torch;

namespace ScaleSweep.Training.Data;

/// <summary>
/// Next-byte prediction on a <see cref="TextCorpus"/>: an example is a window of context + 1 bytes, the input
/// its first <c>context</c> bytes and the targets the same bytes shifted by one (vocabulary 256). Training
/// windows start at uniformly random offsets drawn from the trial's seed; evaluation uses a fixed set of
/// evenly spaced windows over the eval split (default 256: the whole split at context 64 is ~3,400 windows,
/// too slow to evaluate often on a CPU). Train examples, when limited, keep the first N·(context+1) bytes.
/// </summary>
public sealed class TextWindows : ITrainingData
{
    public const int Vocabulary = 256;
    public const int DefaultEvalWindows = 256;

    private readonly byte[] train;
    private readonly byte[] eval;
    private readonly long[] evalStarts;
    private readonly int context;

    public TextWindows(TextCorpus corpus, int context, int trainExamples, int evalExamples)
    {
        if (context < 1) throw new ArgumentOutOfRangeException(nameof(context), "context must be positive");
        int window = context + 1;
        train = trainExamples > 0 && (long)trainExamples * window < corpus.Train.Length ? corpus.Train[..(trainExamples * window)] : corpus.Train;
        eval = corpus.Eval;
        if (train.Length < window || eval.Length < window)
            throw new InvalidDataException($"{corpus.Name}: the splits are shorter than one window of {window} bytes");
        Name = corpus.Name;
        this.context = context;
        int count = evalExamples > 0 ? evalExamples : DefaultEvalWindows;
        long last = eval.Length - window;
        evalStarts = Enumerable.Range(0, count).Select(i => count == 1 ? 0 : i * last / (count - 1)).ToArray();
    }

    public string Name { get; }
    public long InputSize => Vocabulary;
    public int Classes => Vocabulary;
    public int PredictionsPerExample => context;
    public long EvalCount => evalStarts.Length;

    /// <summary>Start offsets of the evaluation windows in the eval split.</summary>
    public IReadOnlyList<long> EvalStarts => evalStarts;

    public IBatchStream TrainBatches(int batch, int seed) => new RandomWindows(this, batch, seed);

    public (Tensor X, Tensor Y) EvalBatch(long start, long count) => Windows(eval, evalStarts.AsSpan((int)start, (int)count));

    public (Tensor X, Tensor Y) FixedTrainBatch(int count) =>
        Windows(train, Enumerable.Range(0, count).Select(i => (long)i * (context + 1) % (train.Length - context)).ToArray());

    private (Tensor X, Tensor Y) Windows(byte[] source, ReadOnlySpan<long> starts)
    {
        var x = new long[starts.Length * context];
        var y = new long[starts.Length * context];
        for (int b = 0; b < starts.Length; b++)
            for (int t = 0; t < context; t++)
            {
                x[b * context + t] = source[starts[b] + t];
                y[b * context + t] = source[starts[b] + t + 1];
            }
        return (tensor(x, [starts.Length, context]), tensor(y, [starts.Length, context]));
    }

    private sealed class RandomWindows(TextWindows data, int batch, int seed) : IBatchStream
    {
        private readonly Random random = new(seed);

        public (Tensor X, Tensor Y) Next()
        {
            var starts = new long[batch];
            for (int i = 0; i < batch; i++) starts[i] = random.NextInt64(data.train.Length - data.context);
            return data.Windows(data.train, starts);
        }
    }
}
