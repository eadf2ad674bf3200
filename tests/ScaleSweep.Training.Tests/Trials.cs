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
}
