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

    public double InitStd(ParameterShape p) =>
        p.Role == ParameterRoles.Output && ZeroReadout ? 0 : Table.For(p.Role).InitStd.Evaluate(p.FanIn, p.BaseFanIn, Scale);

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

    /// <summary>Per-parameter LR, weight decay and ε given the global values of the trial.</summary>
    public GroupHyperparameters Hyperparameters(ParameterShape p, OptimConfig optim)
    {
        var rule = Table.For(p.Role).ForOptimizer(optim.Optimizer);
        return new GroupHyperparameters(
            optim.Lr * rule.Lr.Evaluate(p.FanIn, p.BaseFanIn, Scale),
            optim.WeightDecay * rule.WeightDecay.Evaluate(p.FanIn, p.BaseFanIn, Scale),
            optim.Eps * rule.Eps.Evaluate(p.FanIn, p.BaseFanIn, Scale));
    }
}

/// <summary>What a parameterization needs to know about one parameter tensor.</summary>
public readonly record struct ParameterShape(string Role, long FanIn, long BaseFanIn);

/// <summary>Optimizer settings of one parameter group.</summary>
public readonly record struct GroupHyperparameters(double Lr, double WeightDecay, double Eps);
