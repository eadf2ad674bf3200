using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// The built-in parameterizations as data (docs/parameterizations.md). Each is a table per role; nothing in the
/// models branches on a parameterization's name. Coefficient 1/√3 with a uniform distribution reproduces
/// torch's default Linear init U(±1/√fan_in). Width tables (SP, NTK, μP) are here; depth, integrable and MoE
/// tables in <see cref="DepthTables"/>, <see cref="IntegrableTables"/> and <see cref="MoeTables"/>.
/// </summary>
public static class BuiltInTables
{
    internal static readonly double UniformStd = 1 / Math.Sqrt(3);

    internal static OptimizerRule Rule(ScaleRule lr, ScaleRule? weightDecay = null) =>
        new(lr, weightDecay ?? ScaleRule.One, ScaleRule.One);

    internal static RoleRule Role(ScaleRule init, ScaleRule multiplier, OptimizerRule adam, OptimizerRule sgd) =>
        new(init, multiplier, adam, sgd);

    private static readonly RoleRule NormUnscaled =
        Role(new ScaleRule(0), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled);

    /// <summary>Standard parameterization: torch defaults, one global LR.</summary>
    public static ParameterizationTable Sp { get; } = new("sp", ImmutableSortedDictionary.CreateRange(new Dictionary<string, RoleRule>
    {
        [ParameterRoles.Input] = Role(new(UniformStd, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Hidden] = Role(new(UniformStd, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Output] = Role(new(UniformStd, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Bias] = Role(new(UniformStd, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Norm] = NormUnscaled,
    }))
    { InitDistribution = "uniform" };

    /// <summary>
    /// NTK parameterization (σ_w = 1): unit-variance weights, forward multiplier 1/√fan_in after the first layer,
    /// constant SGD LR. Adam: hidden and output LR ∝ 1/√width — derived, no published table (a documented choice).
    /// </summary>
    public static ParameterizationTable Ntk { get; } = new("ntk", ImmutableSortedDictionary.CreateRange(new Dictionary<string, RoleRule>
    {
        [ParameterRoles.Input] = Role(new(1, FanIn: -0.5), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Hidden] = Role(ScaleRule.One, new(1, FanIn: -0.5), Rule(new(1, N: -0.5)), OptimizerRule.Unscaled),
        [ParameterRoles.Output] = Role(ScaleRule.One, new(1, FanIn: -0.5), Rule(new(1, N: -0.5)), OptimizerRule.Unscaled),
        [ParameterRoles.Bias] = Role(new(0), ScaleRule.One, OptimizerRule.Unscaled, OptimizerRule.Unscaled),
        [ParameterRoles.Norm] = NormUnscaled,
    }))
    { SigmaW2 = 1 };

    /// <summary>
    /// μP as the mup library implements it (Tensor Programs V, Table 8 style). Init variances are the base
    /// model's (torch default at base fan-in), divided by m for hidden weights; the readout's forward multiplier
    /// is output_mult/m; Adam LR of hidden weights ÷ m; coupled weight decay keeps LR·λ constant. At base shapes
    /// every entry is 1 and the model equals SP's. Biases of width-sized layers are vector-like: constant base init,
    /// Adam LR η, SGD η·m; the readout's bias has a fixed size and is not scaled.
    /// Transformers: attention logits d_head^-1·√(base d_head), i.e. 1/d_head with the coefficient chosen so that
    /// at the base shape it equals SP's 1/√d_head (the mup library's attn_mult/d with attn_mult = √base_d; 8/d at
    /// base d_head 64), and zero-initialised queries. The same table serves MLPs, ResNets, Transformers and MoE
    /// (expert weights fall back to hidden, the router to output); only a Transformer differs from SP at base
    /// shape, by its zero query init.
    /// </summary>
    public static ParameterizationTable Mup { get; } = new("mup", ImmutableSortedDictionary.CreateRange(new Dictionary<string, RoleRule>
    {
        [ParameterRoles.Input] = Role(new(UniformStd, BaseFanIn: -0.5), ScaleRule.One,
            adam: Rule(ScaleRule.One),
            sgd: Rule(new(1, N: 1), new(1, N: -1))),
        [ParameterRoles.Hidden] = Role(new(UniformStd, BaseFanIn: -0.5, N: -0.5), ScaleRule.One,
            adam: Rule(new(1, N: -1), new(1, N: 1)),
            sgd: Rule(ScaleRule.One)),
        [ParameterRoles.Output] = Role(new(UniformStd, BaseFanIn: -0.5), new(1, N: -1),
            adam: Rule(ScaleRule.One),
            sgd: Rule(new(1, N: 1), new(1, N: -1))),
        [ParameterRoles.Bias] = Role(new(UniformStd, BaseFanIn: -0.5), ScaleRule.One,
            adam: Rule(ScaleRule.One),
            sgd: Rule(new(1, N: 1), new(1, N: -1))),
        [ParameterRoles.OutputBias] = Role(new(UniformStd, BaseFanIn: -0.5), ScaleRule.One, Rule(ScaleRule.One), Rule(ScaleRule.One)),
        [ParameterRoles.Norm] = Role(new(0), ScaleRule.One, Rule(ScaleRule.One), Rule(new(1, N: 1), new(1, N: -1))),
    }))
    {
        InitDistribution = "uniform",
        AttentionScale = new(1, FanIn: -1, BaseFanIn: 0.5),
        ZeroQuery = true,
    };

    /// <summary>Every built-in table by name: what a spec's <c>parameterizations</c> and <c>--param</c> accept.</summary>
    public static ImmutableDictionary<string, ParameterizationTable> All => all.Value;

    /// <summary>The table a trial trains with: its user-defined table when it names that one, else the built-in of that name; null when unknown.</summary>
    public static ParameterizationTable? Of(Trials.TrialSpec spec) =>
        spec.CustomTable is { } custom && custom.Name == spec.Parameterization ? custom : All.GetValueOrDefault(spec.Parameterization);

    /// <summary>The built-in names, sorted (for messages and help).</summary>
    public static ImmutableSortedSet<string> Names => [.. All.Keys];

    // Lazy: the other table classes derive from μP, so the registry is built only after every class is initialised.
    private static readonly Lazy<ImmutableDictionary<string, ParameterizationTable>> all = new(() => new[]
    {
        Sp, Ntk, Mup,
        DepthTables.DepthMup, DepthTables.CompleteP,
        IntegrableTables.Ip, IntegrableTables.IpLargeLr, IntegrableTables.IpNoncentred, IntegrableTables.MeanField,
        MoeTables.MupMoe, MoeTables.MoeMeanAggregation,
        GaussianTable.Table,
    }.ToImmutableDictionary(t => t.Name));

    /// <summary>A copy of <paramref name="table"/> with one role's rule replaced.</summary>
    internal static ParameterizationTable WithRole(ParameterizationTable table, string role, Func<RoleRule, RoleRule> change) =>
        table with { Roles = table.Roles.SetItem(role, change(table.For(role))) };
}
