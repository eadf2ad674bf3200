using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Benchmarks;
using ScaleSweep.Training.Models;

namespace ScaleSweep.Training.Tests;

/// <summary>The Transformer / MoE figures of <c>scalesweep bench --sequence-models</c>.</summary>
public class SequenceModelBenchmarkTests
{
    [Fact]
    public void Flops_per_token_count_six_per_matmul_weight_plus_attention()
    {
        // Width 32, 2 blocks, FFN 128: 2·(4·32² + 2·32·128) + 32·256 = 32,768 matmul weights; attention 2·12·64·32.
        var settings = TransformerSettings.From(new ModelConfig("transformer", 32, 2) { Context = 64 }, new BaseShape(32, 2));
        Assert.Equal(6.0 * 32_768 + 49_152, SequenceModelBenchmark.FlopsPerToken(settings, mixture: false));
    }

    [Fact]
    public void Both_models_train_and_report_their_throughput()
    {
        var lines = new List<string>();
        var figures = SequenceModelBenchmark.RunBoth(width: 32, log: lines.Add);
        Assert.Equal(["transformer", "moe"], figures.Select(f => f.Model));
        Assert.All(figures, f =>
        {
            Assert.True(f.Gflops > 0 && f.TokensPerSecond > 0, $"{f} measured nothing");
            Assert.Equal(f.SamplesPerSecond * f.Context, f.TokensPerSecond, 9);
        });
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("transformer step width 32, depth 2, context 64, batch 16, 1 thread: ", lines[0]);
        Assert.Contains("(every expert counted)", lines[1]);
    }
}
