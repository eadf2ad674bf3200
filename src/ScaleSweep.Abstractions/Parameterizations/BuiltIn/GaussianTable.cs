using System.Collections.Immutable;
using static ScaleSweep.Abstractions.Parameterizations.BuiltInTables;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// The networks of Deep Information Propagation (Schoenholz et al.): W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²), no
/// multipliers, one global (SGD) learning rate. The stds below encode σ_w² = 1 and σ_b² = 1; a trial's
/// <c>sigma_w2</c> rescales the input and hidden weights (<see cref="ParameterizationTable.SigmaW2"/> = 1) and its
/// <c>sigma_b2</c> every bias (unset: σ_b² = 0, zero biases), so the σ's come from the sweep. The readout keeps std 1/√fan_in: it does
/// not feed a nonlinearity, and its scale only multiplies every backpropagated gradient by the same constant.
/// </summary>
public static class GaussianTable
{
    private static readonly RoleRule Weight =
        Role(new(1, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled);

    public static ParameterizationTable Table { get; } = new("gaussian", ImmutableSortedDictionary.CreateRange(new Dictionary<string, RoleRule>
    {
        [ParameterRoles.Input] = Weight,
        [ParameterRoles.Hidden] = Weight,
        [ParameterRoles.Output] = Weight,
        [ParameterRoles.Bias] = Role(ScaleRule.One, ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Norm] = Role(new(0), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
    }))
    { SigmaW2 = 1 };
}
