using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Tests;

/// <summary>Small trial specs for tests.</summary>
internal static class Trials
{
    public static TrialSpec Mlp(string parameterization = "mup", int width = 128, int depth = 2, string optimizer = "adam",
        double lr = 1e-3, int steps = 30, int seed = 0, string data = "synthetic", int baseWidth = 64) =>
        new(parameterization,
            new ModelConfig("mlp", width, depth),
            new DataConfig(data),
            new OptimConfig(optimizer, lr, steps, Batch: 64, EvalEvery: 10),
            new BaseShape(baseWidth, depth),
            seed,
            ParameterizationOptions.Default);

    /// <summary>A residual model (resnet / conv-resnet) on the synthetic set (64 features = an 8×8 image).</summary>
    public static TrialSpec Residual(string kind = "resnet", string parameterization = "mup", int width = 64, int depth = 4,
        string optimizer = "adam", double lr = 1e-3, int steps = 30, int baseWidth = 64, int baseDepth = 2, int batch = 64) =>
        new(parameterization,
            new ModelConfig(kind, width, depth),
            new DataConfig("synthetic"),
            new OptimConfig(optimizer, lr, steps, Batch: batch, EvalEvery: 10),
            new BaseShape(baseWidth, baseDepth),
            0,
            ParameterizationOptions.Default);

    /// <summary>A byte-level language model (transformer / moe) on the King James Bible, context 32.</summary>
    public static TrialSpec Sequence(string kind = "transformer", string parameterization = "mup", int width = 64, int depth = 2,
        double lr = 3e-3, int steps = 30, int baseWidth = 32, int experts = 4, int baseExperts = 4, int batch = 16,
        int context = 32, double loadBalance = 0) =>
        new(parameterization,
            new ModelConfig(kind, width, depth) { Context = context, Heads = 4, Experts = experts, TopK = 2, LoadBalance = loadBalance },
            new DataConfig("text") { EvalExamples = 64 },
            new OptimConfig("adam", lr, steps, Batch: batch, EvalEvery: 10),
            new BaseShape(baseWidth, depth, baseExperts),
            0,
            ParameterizationOptions.Default);
}
