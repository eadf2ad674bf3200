using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The trial's optimizer with one parameter group per tensor, each with the LR, weight decay and ε its
/// parameterization assigns to its role. The schedule scales every group's LR by the same factor. A table may
/// give the first step its own LRs (IP's large initial LR), optionally calibrated on the first batch
/// (<see cref="FirstStepCalibration"/>); the optimizer switches to the regular LRs after it.
/// </summary>
public sealed class ScaledOptimizer : IDisposable
{
    public static readonly IReadOnlyList<string> Names = ["sgd", "adam", "adamw"];

    private readonly optim.Optimizer optimizer;
    private readonly (optim.ILearningRateController Group, double BaseLr, double FirstStepLr)[] groups;
    private readonly bool firstStepDiffers;
    private readonly (ScaledParameter Parameter, double Target)[] calibrated;
    private readonly double lr;
    private double factor = 1;
    private int steps;

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
        groups = optimizer.ParamGroups.Zip(settings, (g, s) => (g, s.h.Lr, s.h.FirstStepLr)).ToArray();
        firstStepDiffers = groups.Any(g => g.FirstStepLr != g.BaseLr);
        calibrated = settings.Where(s => s.h.FirstStepCalibration > 0).Select(s => (s.p, s.h.FirstStepCalibration)).ToArray();
        lr = config.Lr;
    }

    /// <summary>The calibrated first step's factor per module (empty when the table does not calibrate).</summary>
    public IReadOnlyDictionary<string, double> FirstStepFactors { get; private set; } = new Dictionary<string, double>();

    /// <summary>Per-group LRs as the optimizer holds them (for tests and reports).</summary>
    public IReadOnlyList<double> GroupLearningRates => groups.Select(g => g.Group.LearningRate).ToArray();

    public void SetLrFactor(double factor)
    {
        this.factor = factor;
        Apply(firstStep: false);
    }

    public void ZeroGrad() => optimizer.zero_grad();

    /// <param name="batch">The model and input of this step; needed on the first step when the table calibrates it.</param>
    public void Step(CalibrationBatch? batch = null)
    {
        bool first = ++steps == 1;
        if (first && firstStepDiffers) Apply(firstStep: true);
        if (first && calibrated.Length > 0)
        {
            if (batch is not { } b) throw new InvalidOperationException("this parameterization calibrates its first step: pass the step's batch");
            using var scope = NewDisposeScope();
            var before = calibrated.Select(c => c.Parameter.Parameter.detach().clone()).ToArray();
            optimizer.step();
            FirstStepFactors = FirstStepCalibration.Apply(calibrated, before, b, lr);
        }
        else optimizer.step();
        if (first && firstStepDiffers) Apply(firstStep: false);
    }

    private void Apply(bool firstStep)
    {
        foreach (var (group, baseLr, firstLr) in groups) group.LearningRate = (firstStep ? firstLr : baseLr) * factor;
    }

    public void Dispose() => optimizer.Dispose();
}
