using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The per-tensor optimizer that <see cref="ScaledOptimizer"/> replaced (one group per tensor, the LR set on each
/// group every step), kept as the reference of the flat-buffer optimizer's equivalence test.
/// </summary>
internal sealed class PerTensorOptimizer : IDisposable
{
    private static readonly Dictionary<OptimizerKind, Func<ScaledParameter, GroupHyperparameters, OptimConfig, TensorUpdate>> Builders = new()
    {
        [OptimizerKind.Sgd] = (p, h, config) => new SgdUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Momentum),
        [OptimizerKind.Adam] = (p, h, config) => new AdamUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Beta1, config.Beta2, h.Eps, decoupled: false),
        [OptimizerKind.AdamW] = (p, h, config) => new AdamUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Beta1, config.Beta2, h.Eps, decoupled: true),
    };

    private readonly (TensorUpdate Update, double BaseLr, double FirstStepLr)[] groups;
    private readonly (ScaledParameter Parameter, double Target)[] calibrated;
    private readonly double lr;
    private double factor = 1;
    private int steps;

    public PerTensorOptimizer(IReadOnlyList<ScaledParameter> parameters, Parameterization parameterization, OptimConfig config)
    {
        var settings = parameters.Select(p => (P: p, H: parameterization.Hyperparameters(p.Shape, config))).ToArray();
        var build = Builders[OptimizerKind.Get(config.Optimizer)];
        groups = settings.Select(s => (build(s.P, s.H, config), s.H.Lr, s.H.FirstStepLr)).ToArray();
        calibrated = settings.Where(s => s.H.FirstStepCalibration > 0).Select(s => (s.P, s.H.FirstStepCalibration)).ToArray();
        lr = config.Lr;
    }

    public IReadOnlyDictionary<string, double> FirstStepFactors { get; private set; } = new Dictionary<string, double>();

    public void SetLrFactor(double factor) => this.factor = factor;

    public void ZeroGrad()
    {
        foreach (var group in groups) group.Update.ZeroGrad();
    }

    public void Step(CalibrationBatch batch)
    {
        bool first = ++steps == 1;
        foreach (var (update, baseLr, firstLr) in groups) update.Lr = (first ? firstLr : baseLr) * factor;
        if (first && calibrated.Length > 0) FirstStepFactors = FirstStepCalibration.Update(calibrated, batch, lr, Update);
        else Update();
    }

    private void Update()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var group in groups) group.Update.Step();
    }

    public void Dispose()
    {
        foreach (var group in groups) group.Update.Dispose();
    }
}
