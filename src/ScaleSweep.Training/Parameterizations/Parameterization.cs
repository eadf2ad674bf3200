using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Parameterizations;

/// <summary>
/// A parameterization table evaluated at one model's scale: the numbers a model and its optimizer need for a
/// parameter of a given role and fan-in. Input and output multipliers from the options are folded in here.
/// </summary>
public sealed class Parameterization
{
    public ParameterizationTable Table { get; }
    public Multipliers Scale { get; }
    public ParameterizationOptions Options { get; }

    public Parameterization(ParameterizationTable table, Multipliers scale, ParameterizationOptions options)
    {
        Table = table;
        Scale = scale;
        Options = options;
    }

    public string Name => Table.Name;

    public bool ZeroReadout => Table.ZeroReadout || Options.ZeroReadout;

    public double InitStd(ParameterShape p)
    {
        if (p.Role == ParameterRoles.Output && ZeroReadout) return 0;
        var std = Table.For(p.Role).InitStd.Evaluate(p.FanIn, p.BaseFanIn, Scale);
        if (ScalesWithSigmaB(p.Role)) return std * Math.Sqrt(Options.SigmaB2);
        return ScalesWithSigmaW(p.Role) ? std * Math.Sqrt(Options.SigmaW2 / Table.SigmaW2) : std;
    }

    // σ_b² scales the biases of tables with a σ knob (gaussian: b ~ N(0, σ_b²), its bias std 1 encodes σ_b² = 1).
    // Unlike σ_w², 0 is a real value here (zero biases), so it applies whatever its value.
    private bool ScalesWithSigmaB(string role) =>
        Table.SigmaW2 > 0 && ParameterRoles.FallbackOf(role) is ParameterRoles.Bias;

    // σ_w² is a knob of tables that declare one (NTK, IP); it scales the weights that feed activations.
    private bool ScalesWithSigmaW(string role) =>
        Options.SigmaW2 > 0 && Table.SigmaW2 > 0
        && ParameterRoles.FallbackOf(role) is ParameterRoles.Input or ParameterRoles.Hidden;

    public double Multiplier(ParameterShape p)
    {
        var value = Table.For(p.Role).Multiplier.Evaluate(p.FanIn, p.BaseFanIn, Scale);
        return p.Role switch
        {
            ParameterRoles.Input => value * Options.InputMult,
            ParameterRoles.Output => value * Options.OutputMult,
            _ => value,
        };
    }

    public double ResidualMultiplier => Table.Residual.Evaluate(1, 1, Scale);

    /// <summary>Attention logit scale for heads of size <paramref name="dHead"/> (base model: <paramref name="baseDHead"/>).</summary>
    public double AttentionScale(double dHead, double baseDHead) => Table.AttentionScale.Evaluate(dHead, baseDHead, Scale);

    /// <summary>Multiplier on the gate-weighted sum over the <paramref name="topK"/> active experts.</summary>
    public double ExpertAggregation(int topK) => Table.ExpertAggregation.Evaluate(topK, topK, Scale);

    /// <summary>Per-parameter LR, weight decay and ε given the global values of the trial.</summary>
    public GroupHyperparameters Hyperparameters(ParameterShape p, OptimConfig optim)
    {
        var rule = Table.For(p.Role).ForOptimizer(optim.Optimizer);
        var lr = optim.Lr * rule.Lr.Evaluate(p.FanIn, p.BaseFanIn, Scale);
        return new GroupHyperparameters(
            lr,
            optim.WeightDecay * rule.WeightDecay.Evaluate(p.FanIn, p.BaseFanIn, Scale),
            optim.Eps * rule.Eps.Evaluate(p.FanIn, p.BaseFanIn, Scale),
            rule.FirstStepLr is { } first ? optim.Lr * first.Evaluate(p.FanIn, p.BaseFanIn, Scale) : lr,
            rule.FirstStepCalibration);
    }
}

/// <summary>What a parameterization needs to know about one parameter tensor.</summary>
public readonly record struct ParameterShape(string Role, long FanIn, long BaseFanIn);

/// <summary>
/// Optimizer settings of one parameter group. <see cref="FirstStepLr"/> applies to the first step only;
/// <see cref="FirstStepCalibration"/> &gt; 0 asks for that step to be calibrated (target mean |Δ output|).
/// </summary>
public readonly record struct GroupHyperparameters(double Lr, double WeightDecay, double Eps, double FirstStepLr,
    double FirstStepCalibration = 0);
