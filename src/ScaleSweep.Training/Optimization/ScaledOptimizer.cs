using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The trial's optimizer with one parameter group per tensor, each with the LR, weight decay and ε its
/// parameterization assigns to its role. The schedule scales every group's LR by the same factor.
/// </summary>
public sealed class ScaledOptimizer : IDisposable
{
    public static readonly IReadOnlyList<string> Names = ["sgd", "adam", "adamw"];

    private readonly optim.Optimizer optimizer;
    private readonly (optim.ILearningRateController Group, double BaseLr)[] groups;

    public ScaledOptimizer(IReadOnlyList<ScaledParameter> parameters, Parameterization parameterization, OptimConfig config)
    {
        var settings = parameters.Select(p => (p, h: parameterization.Hyperparameters(p.Shape, config))).ToArray();
        optimizer = config.Optimizer switch
        {
            "sgd" => optim.SGD(settings.Select(s => new SGD.ParamGroup([s.p.Parameter],
                s.h.Lr, config.Momentum, 0, s.h.WeightDecay, false, false)), config.Lr, config.Momentum),
            "adam" => optim.Adam(settings.Select(s => new Adam.ParamGroup([s.p.Parameter],
                s.h.Lr, config.Beta1, config.Beta2, s.h.Eps, s.h.WeightDecay, false, false)), config.Lr),
            "adamw" => optim.AdamW(settings.Select(s => new AdamW.ParamGroup([s.p.Parameter],
                s.h.Lr, config.Beta1, config.Beta2, s.h.Eps, s.h.WeightDecay, false, false)), config.Lr),
            _ => throw new ArgumentException($"unknown optimizer '{config.Optimizer}' (known: {string.Join(", ", Names)})"),
        };
        groups = optimizer.ParamGroups.Zip(settings, (g, s) => (g, s.h.Lr)).ToArray();
    }

    /// <summary>Per-group LRs as the optimizer holds them (for tests and reports).</summary>
    public IReadOnlyList<double> GroupLearningRates => groups.Select(g => g.Group.LearningRate).ToArray();

    public void SetLrFactor(double factor)
    {
        foreach (var (group, baseLr) in groups) group.LearningRate = baseLr * factor;
    }

    public void ZeroGrad() => optimizer.zero_grad();

    public void Step() => optimizer.step();

    public void Dispose() => optimizer.Dispose();
}
