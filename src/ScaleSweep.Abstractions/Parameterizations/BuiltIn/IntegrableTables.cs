using System.Collections.Immutable;
using static ScaleSweep.Abstractions.Parameterizations.BuiltInTables;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// The integrable parameterization (IP, mean-field; Hajjar, Chizat, Giraud) and its fixes. IP is an abc-form
/// table in the absolute width n (not n / base width): its point is the 1/n average over units.
/// </summary>
public static class IntegrableTables
{
    /// <summary>
    /// σ_w² of the init stds below. The paper's value depends on the activation (ReLU 2, GELU 4, ELU/tanh 1);
    /// the table uses ReLU's and a trial's <c>sigma_w2</c> option replaces it (the table declares SigmaW2 = 2).
    /// </summary>
    private const double ReluSigmaW2 = 2;

    private static readonly double SigmaW = Math.Sqrt(ReluSigmaW2);

    /// <summary>
    /// IP: forward multipliers a = [0, 1, …, 1] (1/n on every layer after the first, as 1/fan_in); init
    /// N(0, σ_w²) independent of n, the input layer ÷ √d (the paper's √(d+1) counts the bias as an input; here
    /// the bias is separate), the readout N(0, 1). SGD LR η·n for the input and output layers, η·n² for hidden
    /// ones. Biases: zero init, multiplier 1, SGD LR η·n (their gradient is Θ(1/n) per unit). Adam (derived, not
    /// from the paper): η for every role, since an entrywise Θ(η) update moves each 1/fan_in-averaged
    /// pre-activation by Θ(η). Starts at a stationary point for more than four layers at large width.
    /// </summary>
    public static ParameterizationTable Ip { get; } = new("ip", ImmutableSortedDictionary.CreateRange(new Dictionary<string, RoleRule>
    {
        [ParameterRoles.Input] = Role(new(SigmaW, FanIn: -0.5), ScaleRule.One,
            adam: Rule(ScaleRule.One), sgd: Rule(new(1) { ModelWidth = 1 })),
        [ParameterRoles.Hidden] = Role(new(SigmaW), new(1, FanIn: -1),
            adam: Rule(ScaleRule.One), sgd: Rule(new(1, FanIn: 2))),
        [ParameterRoles.Output] = Role(ScaleRule.One, new(1, FanIn: -1),
            adam: Rule(ScaleRule.One), sgd: Rule(new(1, FanIn: 1))),
        [ParameterRoles.Bias] = Role(new(0), ScaleRule.One, adam: Rule(ScaleRule.One), sgd: Rule(new(1) { ModelWidth = 1 })),
        [ParameterRoles.OutputBias] = Role(new(0), ScaleRule.One, Rule(ScaleRule.One), Rule(ScaleRule.One)),
        [ParameterRoles.Norm] = Role(new(0), ScaleRule.One, adam: Rule(ScaleRule.One), sgd: Rule(new(1) { ModelWidth = 1 })),
    }))
    { SigmaW2 = ReluSigmaW2 };

    /// <summary>The same table under the name the literature also uses.</summary>
    public static ParameterizationTable MeanField { get; } = Ip with { Name = "mean-field" };

    /// <summary>
    /// IP-LLR: IP whose first SGD step uses larger LR exponents, then IP's (the authors' code, L hidden layers):
    /// η·n^((L+1)/2) for the input and output layers and η·n^((L+2)/2) for hidden ones. The exponents grow with
    /// depth, hence <see cref="ScaleRule.ModelWidthPerLayer"/>. As in the authors' code, the hidden and output
    /// layers' first step is calibrated on the first batch to move each layer's output by 0.5 (their ReLU value;
    /// 1.0 for other activations) — without it the Θ(1) constants compound over depth and a 6-layer net at
    /// width 1024 stays stuck (measured). Biases take no large first step.
    /// </summary>
    public static ParameterizationTable IpLargeLr { get; } =
        WithFirstSgdStep(WithFirstSgdStep(WithFirstSgdStep(Ip,
            ParameterRoles.Input, new(1) { ModelWidth = 0.5, ModelWidthPerLayer = 0.5 }, calibration: 0),
            ParameterRoles.Hidden, new(1) { ModelWidth = 1, ModelWidthPerLayer = 0.5 }, ReluCalibration),
            ParameterRoles.Output, new(1) { ModelWidth = 0.5, ModelWidthPerLayer = 0.5 }, ReluCalibration)
        with { Name = "ip-large-lr" };

    private const double ReluCalibration = 0.5;

    /// <summary>IP with non-centred initial weights: every non-bias weight starts with mean 1.0.</summary>
    public static ParameterizationTable IpNoncentred { get; } = Ip with { Name = "ip-noncentred", InitMean = 1.0 };

    private static ParameterizationTable WithFirstSgdStep(ParameterizationTable table, string role, ScaleRule firstStepLr, double calibration) =>
        WithRole(table, role, rule => rule with { Sgd = rule.Sgd with { FirstStepLr = firstStepLr, FirstStepCalibration = calibration } });
}
