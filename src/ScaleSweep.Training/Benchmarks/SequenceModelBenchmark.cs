using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Benchmarks;

/// <summary>
/// Training step throughput of the Transformer and MoE language models on the text data, through the real
/// trainer. FLOPs per token: 6 per weight of every matmul (forward 2, backward 4; embedding lookups excluded)
/// plus attention's 12·T·W per block (QKᵀ and AV over the full T×T, causal half not skipped). The MoE runs
/// every expert densely, so its figure counts all M experts: executed, not useful, FLOPs.
/// </summary>
public static class SequenceModelBenchmark
{
    public sealed record Figure(string Model, int Width, int Depth, int Context, int Batch, double SamplesPerSecond,
        double TokensPerSecond, double Gflops);

    /// <summary>
    /// The Transformer, then the MoE, at <paramref name="width"/> on one thread, each logged as it finishes:
    /// the figures <c>scalesweep bench --sequence-models</c> adds.
    /// </summary>
    public static IReadOnlyList<Figure> RunBoth(int width = 256, Action<string>? log = null)
    {
        var figures = new List<Figure>();
        foreach (var kind in new[] { ModelKind.Transformer.Name, ModelKind.Moe.Name })
        {
            var figure = Run(kind, width);
            var counted = kind == ModelKind.Moe.Name ? " (every expert counted)" : "";
            log?.Invoke($"{kind} step width {figure.Width}, depth {figure.Depth}, context {figure.Context}, batch {figure.Batch}, 1 thread: " +
                        $"{figure.Gflops:F1} GFLOP/s{counted}, {figure.TokensPerSecond:N0} tokens/s");
            figures.Add(figure);
        }
        return figures;
    }

    public static Figure Run(string kind, int width = 128, int depth = 2, int context = 64, int batch = 16, int steps = 30,
        int experts = 4, int topK = 2, int threads = 1)
    {
        var model = new ModelConfig(kind, width, depth) { Context = context, Experts = experts, TopK = topK };
        var spec = new TrialSpec("mup", model, new DataConfig("text"),
            new OptimConfig("adam", 1e-3, steps, batch, EvalEvery: 0) { DivergenceFactor = 1e9 }, // never diverges
            new BaseShape(width, depth, experts), 0, ParameterizationOptions.Default) { Threads = threads };
        var result = new TorchTrialRunner().Run(spec, null, default);
        var tokensPerSecond = result.SamplesPerSecond * context;
        return new Figure(kind, width, depth, context, batch, result.SamplesPerSecond, tokensPerSecond,
            FlopsPerToken(TransformerSettings.From(model, spec.Base), kind == "moe") * tokensPerSecond / 1e9);
    }

    public static double FlopsPerToken(TransformerSettings s, bool mixture)
    {
        double w = s.Width;
        double positionwise = mixture ? s.Experts * 2.0 * w * s.ExpertWidth + w * s.Experts : 2.0 * w * s.FfnWidth;
        double matmulWeights = s.Depth * (4 * w * w + positionwise) + w * 256;
        return 6 * matmulWeights + s.Depth * 12.0 * s.Context * w;
    }
}
