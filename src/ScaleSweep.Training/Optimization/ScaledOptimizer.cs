using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
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
    /// <summary>How each optimizer of <see cref="OptimizerKind"/> updates one tensor.</summary>
    private static readonly Dictionary<OptimizerKind, Func<ScaledParameter, GroupHyperparameters, OptimConfig, TensorUpdate>> Builders = new()
    {
        [OptimizerKind.Sgd] = (p, h, config) => new SgdUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Momentum),
        [OptimizerKind.Adam] = (p, h, config) => new AdamUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Beta1, config.Beta2, h.Eps, decoupled: false),
        [OptimizerKind.AdamW] = (p, h, config) => new AdamUpdate(p.Parameter, h.Lr, h.WeightDecay, config.Beta1, config.Beta2, h.Eps, decoupled: true),
    };

    /// <summary>Every optimizer this class builds (a test checks it is every <see cref="OptimizerKind"/>).</summary>
    public static IEnumerable<OptimizerKind> Implemented => Builders.Keys;

    private readonly (TensorUpdate Update, double BaseLr, double FirstStepLr)[] groups;
    private readonly bool firstStepDiffers;
    private readonly (ScaledParameter Parameter, double Target)[] calibrated;
    private readonly double lr;
    private double factor = 1;
    private int steps;

    public ScaledOptimizer(IReadOnlyList<ScaledParameter> parameters, Parameterization parameterization, OptimConfig config)
    {
        var settings = parameters.Select(p => (P: p, H: parameterization.Hyperparameters(p.Shape, config))).ToArray();
        var build = Builders[OptimizerKind.Get(config.Optimizer)];
        groups = settings.Select(s => (build(s.P, s.H, config), s.H.Lr, s.H.FirstStepLr)).ToArray();
        firstStepDiffers = groups.Any(g => g.FirstStepLr != g.BaseLr);
        calibrated = settings.Where(s => s.H.FirstStepCalibration > 0).Select(s => (s.P, s.H.FirstStepCalibration)).ToArray();
        lr = config.Lr;
    }

    /// <summary>The calibrated first step's factor per module (empty when the table does not calibrate).</summary>
    public IReadOnlyDictionary<string, double> FirstStepFactors { get; private set; } = new Dictionary<string, double>();

    /// <summary>Per-group LRs as the optimizer holds them (for tests and reports).</summary>
    public IReadOnlyList<double> GroupLearningRates => groups.Select(g => g.Update.Lr).ToArray();

    public void SetLrFactor(double factor)
    {
        this.factor = factor;
        Apply(firstStep: false);
    }

    public void ZeroGrad()
    {
        foreach (var group in groups) group.Update.ZeroGrad();
    }

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
            Update();
            FirstStepFactors = FirstStepCalibration.Apply(calibrated, before, b, lr);
        }
        else Update();
        if (first && firstStepDiffers) Apply(firstStep: false);
    }

    private void Update()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var group in groups) group.Update.Step();
    }

    private void Apply(bool firstStep)
    {
        foreach (var (update, baseLr, firstLr) in groups) update.Lr = (firstStep ? firstLr : baseLr) * factor;
    }

    public void Dispose()
    {
        foreach (var group in groups) group.Update.Dispose();
    }
}
