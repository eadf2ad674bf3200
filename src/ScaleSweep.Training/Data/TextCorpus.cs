using System.Collections.Immutable;

namespace ScaleSweep.Training.Data;

/// <summary>
/// A byte-level text corpus split for language modelling: the text is cut into 1,024-byte chunks and a
/// fixed-seed draw puts about 5% of them in the evaluation split. Each split is its chunks concatenated in
/// order, so a training window may span two training chunks that had an eval chunk between them (a join
/// every ~20 chunks; harmless for next-byte prediction), but never touches evaluation text.
/// Instances are cached per process and shared read-only by concurrent trials.
/// </summary>
public sealed record TextCorpus(string Name, byte[] Train, byte[] Eval, ImmutableArray<int> TrainChunks, ImmutableArray<int> EvalChunks)
{
    public const int ChunkBytes = 1024;
    public const double EvalFraction = 0.05;
    private const int SplitSeed = 20261124;

    public static TextCorpus Split(string name, byte[] text)
    {
        int chunks = (text.Length + ChunkBytes - 1) / ChunkBytes;
        if (chunks < 2) throw new InvalidDataException($"{name}: {text.Length} bytes is too short to split into train and eval");
        var random = new Random(SplitSeed);
        var isEval = Enumerable.Range(0, chunks).Select(_ => random.NextDouble() < EvalFraction).ToArray();
        if (!isEval.Contains(true)) isEval[chunks - 1] = true;
        if (!isEval.Contains(false)) isEval[0] = false;
        var evalChunks = Enumerable.Range(0, chunks).Where(i => isEval[i]).ToImmutableArray();
        var trainChunks = Enumerable.Range(0, chunks).Where(i => !isEval[i]).ToImmutableArray();
        return new TextCorpus(name, Concatenate(text, trainChunks), Concatenate(text, evalChunks), trainChunks, evalChunks);
    }

    /// <summary>This corpus as fixed-length windows for a model with the given context.</summary>
    public TextWindows Windows(int context, int trainExamples, int evalExamples) => new(this, context, trainExamples, evalExamples);

    private static byte[] Concatenate(byte[] text, ImmutableArray<int> chunks)
    {
        using var result = new MemoryStream();
        foreach (var chunk in chunks)
        {
            int start = chunk * ChunkBytes;
            result.Write(text, start, Math.Min(ChunkBytes, text.Length - start));
        }
        return result.ToArray();
    }
}
