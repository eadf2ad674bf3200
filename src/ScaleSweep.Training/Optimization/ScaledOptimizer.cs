using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Optimization;

/// <summary>
/// The trial's optimizer: every parameter gets the LR, weight decay and ε its parameterization assigns to its
/// role, and the schedule scales every LR by the same factor. The parameters live in one flat buffer
/// (<see cref="ParameterBuffer"/>) that a handful of fused ops updates, with the per-role factors as per-element
/// tensors built once. A table may give the first step its own LRs (IP's large initial LR), optionally calibrated
/// on the first batch (<see cref="FirstStepCalibration"/>); the optimizer switches to the regular LRs after it.
/// </summary>
public sealed class ScaledOptimizer : IDisposable
{
    /// <summary>How each optimizer of <see cref="OptimizerKind"/> updates the buffer.</summary>
    private static readonly Dictionary<OptimizerKind, Func<ParameterBuffer, Factors, OptimConfig, FlatUpdate>> Builders = new()
    {
        [OptimizerKind.Sgd] = (b, f, config) => new FlatSgd(b, f.WeightDecay, config.Momentum),
        [OptimizerKind.Adam] = (b, f, config) => new FlatAdam(b, f.WeightDecay, f.Eps, config.Beta1, config.Beta2, decoupled: false),
        [OptimizerKind.AdamW] = (b, f, config) => new FlatAdam(b, f.WeightDecay, f.Eps, config.Beta1, config.Beta2, decoupled: true),
    };

    /// <summary>Every optimizer this class builds (a test checks it is every <see cref="OptimizerKind"/>).</summary>
    public static IEnumerable<OptimizerKind> Implemented => Builders.Keys;

    private readonly ParameterBuffer buffer;
    private readonly Factors factors;
    private readonly FlatUpdate update;
    private readonly double[] baseLrs;
    private readonly bool firstStepDiffers;
    private readonly (ScaledParameter Parameter, double Target)[] calibrated;
    private readonly double lr;
    private double factor = 1;
    private int steps;

    public ScaledOptimizer(IReadOnlyList<ScaledParameter> parameters, Parameterization parameterization, OptimConfig config)
    {
        var settings = parameters.Select(p => (P: p, H: parameterization.Hyperparameters(p.Shape, config))).ToArray();
        var tensors = parameters.Select(p => p.Parameter).ToArray();
        buffer = new ParameterBuffer(tensors, flatGradients: !OnePass.Applies(tensors));
        baseLrs = settings.Select(s => s.H.Lr).ToArray();
        firstStepDiffers = settings.Any(s => s.H.FirstStepLr != s.H.Lr);
        factors = new Factors(
            buffer.Spread(baseLrs),
            firstStepDiffers ? buffer.Spread(settings.Select(s => s.H.FirstStepLr).ToArray()) : null,
            buffer.Spread(settings.Select(s => s.H.WeightDecay).ToArray()),
            buffer.Spread(settings.Select(s => s.H.Eps).ToArray()));
        update = Builders[OptimizerKind.Get(config.Optimizer)](buffer, factors, config);
        calibrated = settings.Where(s => s.H.FirstStepCalibration > 0).Select(s => (s.P, s.H.FirstStepCalibration)).ToArray();
        lr = config.Lr;
    }

    /// <summary>The calibrated first step's factor per module (empty when the table does not calibrate).</summary>
    public IReadOnlyDictionary<string, double> FirstStepFactors { get; private set; } = new Dictionary<string, double>();

    /// <summary>Each parameter's LR as the next regular step applies it (for tests and reports).</summary>
    public IReadOnlyList<double> GroupLearningRates => baseLrs.Select(l => l * factor).ToArray();

    public void SetLrFactor(double factor) => this.factor = factor;

    public void ZeroGrad() => buffer.ZeroGradients();

    /// <param name="batch">The model and input of this step; needed on the first step when the table calibrates it.</param>
    public void Step(CalibrationBatch? batch = null)
    {
        bool first = ++steps == 1;
        var stepLr = first && factors.FirstStepLr is { } firstLr ? firstLr : factors.Lr;
        if (first && calibrated.Length > 0)
        {
            if (batch is not { } b) throw new InvalidOperationException("this parameterization calibrates its first step: pass the step's batch");
            FirstStepFactors = FirstStepCalibration.Update(calibrated, b, lr, () => Update(stepLr));
        }
        else Update(stepLr);
    }

    private void Update(ElementFactors stepLr)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        update.Step(stepLr, factor);
    }

    public void Dispose()
    {
        update.Dispose();
        factors.Dispose();
        buffer.Dispose();
    }

    /// <summary>The per-element factors of the parameterization table, built once.</summary>
    private sealed record Factors(ElementFactors Lr, ElementFactors? FirstStepLr, ElementFactors WeightDecay, ElementFactors Eps) : IDisposable
    {
        public void Dispose()
        {
            Lr.Dispose();
            FirstStepLr?.Dispose();
            WeightDecay.Dispose();
            Eps.Dispose();
        }
    }
}
