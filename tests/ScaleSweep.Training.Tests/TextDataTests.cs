using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

public class TextDataTests
{
    private static readonly TextCorpus Bible = TextCorpus.Split("kjv", KingJamesBible.Read());

    [Fact]
    public void The_king_james_bible_loads_from_the_bible_program()
    {
        var text = KingJamesBible.Read();
        Assert.InRange(text.Length, 4_000_000, 5_000_000);
        Assert.StartsWith("Ge1:1 In the beginning God created the heaven and the earth.", System.Text.Encoding.ASCII.GetString(text, 0, 80));
    }

    [Fact]
    public void The_split_is_deterministic_disjoint_and_about_five_percent_eval()
    {
        var again = TextCorpus.Split("kjv", KingJamesBible.Read());
        Assert.Equal(Bible.EvalChunks.ToArray(), again.EvalChunks.ToArray());
        Assert.Equal(Bible.Train, again.Train);

        var chunks = (Bible.Train.Length + Bible.Eval.Length + TextCorpus.ChunkBytes - 1) / TextCorpus.ChunkBytes;
        Assert.Empty(Bible.TrainChunks.Intersect(Bible.EvalChunks));
        Assert.Equal(Enumerable.Range(0, chunks), Bible.TrainChunks.Concat(Bible.EvalChunks).Order());
        Assert.InRange((double)Bible.EvalChunks.Length / chunks, 0.04, 0.06);

        // Eval text is exactly the eval chunks of the original, so no eval byte sequence is trained on.
        var text = KingJamesBible.Read();
        var first = Bible.EvalChunks[0] * TextCorpus.ChunkBytes;
        Assert.Equal(text[first..(first + TextCorpus.ChunkBytes)], Bible.Eval[..TextCorpus.ChunkBytes]);
    }

    [Fact]
    public void Windows_are_bytes_with_next_byte_targets_and_seeded()
    {
        var data = Bible.Windows(context: 16, trainExamples: 0, evalExamples: 40);
        Assert.Equal(256, data.InputSize);
        Assert.Equal(256, data.Classes);
        Assert.Equal(16, data.PredictionsPerExample);
        Assert.Equal(40, data.EvalCount);
        using var scope = NewDisposeScope();
        var (x, y) = data.TrainBatches(8, seed: 3).Next();
        var (x2, _) = data.TrainBatches(8, seed: 3).Next();
        var (x3, _) = data.TrainBatches(8, seed: 4).Next();
        Assert.Equal(new long[] { 8, 16 }, x.shape);
        Assert.Equal(ScalarType.Int64, x.dtype);
        Assert.True(x.equal(x2).all().item<bool>());
        Assert.False(x.equal(x3).all().item<bool>());
        Assert.True(x.narrow(1, 1, 15).equal(y.narrow(1, 0, 15)).all().item<bool>(), "targets are the inputs shifted by one byte");
        var (ex, ey) = data.EvalBatch(0, 40);
        foreach (var t in new[] { x, y, ex, ey })
        {
            Assert.True(t.min().item<long>() >= 0);
            Assert.True(t.max().item<long>() < 256);
        }
        Assert.Equal(0, data.EvalStarts[0]);
        Assert.Equal(Bible.Eval.Length - 17, data.EvalStarts[^1]);
    }

    [Fact]
    public void Text_data_opens_with_the_models_context()
    {
        var data = DataSets.Open(new DataConfig("text"), new ModelConfig("transformer", 64, 2) { Context = 24 });
        Assert.Equal(24, data.PredictionsPerExample);
        Assert.Equal(TextWindows.DefaultEvalWindows, data.EvalCount);
        Assert.Equal(64, DataSets.Open(new DataConfig("text"), new ModelConfig("transformer", 64, 2)).PredictionsPerExample);
        Assert.Contains("text", ScaleSweep.Abstractions.Vocabulary.DataKind.Names);
    }

    [Fact]
    public void A_missing_bible_program_names_the_debian_package()
    {
        var ex = Assert.Throws<DataUnavailableException>(() => KingJamesBible.Read("scalesweep-no-such-bible-program"));
        Assert.Contains(KingJamesBible.DebianPackage, ex.Message);
        Assert.Contains("bible-kjv", ex.Message);
    }

    [Fact]
    public void A_text_file_can_replace_the_bible()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Enumerable.Range(0, 50_000).Select(i => (byte)('a' + i % 26)).ToArray());
            var data = DataSets.Open(new DataConfig("text", path), new ModelConfig("transformer", 64, 2) { Context = 8 });
            using var scope = NewDisposeScope();
            var (x, y) = data.TrainBatches(4, 0).Next();
            Assert.True(x.sub('a').add(1).remainder(26).equal(y.sub('a')).all().item<bool>(), "the file's bytes, each followed by the next letter");
        }
        finally { File.Delete(path); }
    }
}
