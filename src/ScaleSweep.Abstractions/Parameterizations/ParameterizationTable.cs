using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// A parameterization as data (abc form): per parameter role, how init std, forward multiplier and the
/// optimizer's LR / weight decay / ε scale with fan-in and the multipliers m_N (width), m_L (depth) and
/// m_E (experts). Built-in tables (SP, NTK, μP, ...) and user tables from YAML share this shape.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ParameterizationTable(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableSortedDictionary<string, RoleRule> Roles)
{
    /// <summary>"normal" or "uniform" (uniform with the same std: U(±std·√3), torch's default for SP).</summary>
    [Id(2)] public string InitDistribution { get; init; } = "normal";

    /// <summary>Residual branch multiplier: x + r·f(x) (Depth-μP: m_L^-1/2, CompleteP: m_L^-1).</summary>
    [Id(3)] public ScaleRule Residual { get; init; } = ScaleRule.One;

    /// <summary>Attention logit scale as a function of d_head (passed as fan-in): 1/√d or 1/d.</summary>
    [Id(4)] public ScaleRule AttentionScale { get; init; } = new(1, FanIn: -0.5);

    /// <summary>Zero-initialise attention query projections (μP).</summary>
    [Id(5)] public bool ZeroQuery { get; init; }

    /// <summary>Zero-initialise the readout (μP's recommended choice); overridable per trial.</summary>
    [Id(6)] public bool ZeroReadout { get; init; }

    /// <summary>Mean of the initial weights of non-bias roles (non-centred init, IP fix); 0 = centred.</summary>
    [Id(7)] public double InitMean { get; init; }

    /// <summary>
    /// MoE: multiplier on the gate-weighted sum over the K active experts, evaluated with fan_in = base_fan_in = K
    /// (1 = sum, fan_in^-1 = mean). A table field so that aggregation variants (MSSP-style) are one table each;
    /// it multiplies the model's own <c>aggregation</c> setting.
    /// </summary>
    [Id(8)] public ScaleRule ExpertAggregation { get; init; } = ScaleRule.One;

    /// <summary>
    /// The σ_w² that the input and hidden (and expert) init stds of this table encode (NTK: 1, IP with ReLU: 2).
    /// A trial's <c>ParameterizationOptions.SigmaW2</c> rescales those stds by √(σ_w²/this). 0 = no σ_w² knob.
    /// </summary>
    [Id(9)] public double SigmaW2 { get; init; }

    public RoleRule For(string role) =>
        Roles.TryGetValue(role, out var rule) ? rule
        : Roles.TryGetValue(ParameterRoles.FallbackOf(role), out var fallback) ? fallback
        : throw new KeyNotFoundException($"parameterization '{Name}' has no rule for role '{role}'");
}

/// <summary>How one role's quantities scale.</summary>
[GenerateSerializer, Immutable]
public sealed record RoleRule(
    [property: Id(0)] ScaleRule InitStd,
    [property: Id(1)] ScaleRule Multiplier,
    [property: Id(2)] OptimizerRule Adam,
    [property: Id(3)] OptimizerRule Sgd)
{
    public OptimizerRule ForOptimizer(string optimizer) => optimizer is "sgd" ? Sgd : Adam;
}

/// <summary>LR, weight decay and ε scale factors for one optimizer family (adam/adamw or sgd).</summary>
[GenerateSerializer, Immutable]
public sealed record OptimizerRule(
    [property: Id(0)] ScaleRule Lr,
    [property: Id(1)] ScaleRule WeightDecay,
    [property: Id(2)] ScaleRule Eps)
{
    public static OptimizerRule Unscaled { get; } = new(ScaleRule.One, ScaleRule.One, ScaleRule.One);

    /// <summary>
    /// LR scale of the first optimizer step only (IP with a large initial LR); null = <see cref="Lr"/>.
    /// From the second step on, <see cref="Lr"/> applies.
    /// </summary>
    [Id(3)] public ScaleRule? FirstStepLr { get; init; }

    /// <summary>
    /// Calibrate the first step (IP-LLR as its authors run it): the first update of each module with this role is
    /// rescaled so that it moves the module's output on the first batch by this mean |Δy|, modules in forward
    /// order. 0 = no calibration (the first step uses <see cref="FirstStepLr"/> as is).
    /// </summary>
    [Id(4)] public double FirstStepCalibration { get; init; }
}

/// <summary>
/// value = Coef · fan_in^FanIn · base_fan_in^BaseFanIn · m_N^N · m_L^L · m_E^E · n^(ModelWidth + ModelWidthPerLayer·depth).
/// Every scaling rule in the tables is one of these. base_fan_in is the layer's fan-in at the base shape (what
/// μP's "base variance" uses); n and depth are the model's absolute width and depth (abc-form tables such as
/// IP scale with n itself, not with n / base width).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScaleRule(
    [property: Id(0)] double Coef,
    [property: Id(1)] double FanIn = 0,
    [property: Id(2)] double N = 0,
    [property: Id(3)] double L = 0,
    [property: Id(4)] double E = 0,
    [property: Id(5)] double BaseFanIn = 0)
{
    public static ScaleRule One { get; } = new(1);

    /// <summary>Exponent of the model's absolute width n (e.g. IP's input-layer SGD LR η·n).</summary>
    [Id(6)] public double ModelWidth { get; init; }

    /// <summary>
    /// Added to the exponent of n once per hidden layer / block: n^(ModelWidthPerLayer·depth). IP's large first
    /// step uses LR exponents that grow with depth, e.g. η·n^((L+1)/2) = ModelWidth 0.5, ModelWidthPerLayer 0.5.
    /// </summary>
    [Id(7)] public double ModelWidthPerLayer { get; init; }

    public double Evaluate(double fanIn, double baseFanIn, Multipliers m) =>
        Coef * Math.Pow(fanIn, FanIn) * Math.Pow(baseFanIn, BaseFanIn)
        * Math.Pow(m.Width, N) * Math.Pow(m.Depth, L) * Math.Pow(m.Experts, E)
        * (ModelWidth == 0 && ModelWidthPerLayer == 0 ? 1 : Math.Pow(m.ModelWidth, ModelWidth + ModelWidthPerLayer * m.ModelDepth));
}

/// <summary>Scale multipliers relative to the base shape: m_N, m_L, m_E (and the absolute sizes, for abc-form rules).</summary>
public readonly record struct Multipliers(double Width, double Depth, double Experts)
{
    public static Multipliers Base { get; } = new(1, 1, 1);

    /// <summary>The model's absolute width n (1 when unknown).</summary>
    public double ModelWidth { get; init; } = 1;

    /// <summary>The model's absolute depth: hidden layers or residual blocks (0 when unknown).</summary>
    public double ModelDepth { get; init; }
}

/// <summary>Role names used in tables and by models.</summary>
public static class ParameterRoles
{
    public const string Input = "input";
    public const string Hidden = "hidden";
    public const string Output = "output";
    public const string Bias = "bias";
    /// <summary>The readout's bias: its size is the (fixed) number of outputs, so it does not scale like hidden biases.</summary>
    public const string OutputBias = "output_bias";
    public const string Norm = "norm";
    public const string Router = "router";
    public const string Expert = "expert";

    public static readonly ImmutableArray<string> All = [Input, Hidden, Output, Bias, OutputBias, Norm, Router, Expert];

    /// <summary>A table may omit router (treated as output), expert (as hidden) and output_bias (as bias).</summary>
    public static string FallbackOf(string role) => role switch
    {
        Router => Output,
        Expert => Hidden,
        OutputBias => Bias,
        _ => role,
    };
}
