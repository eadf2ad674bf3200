using static ScaleSweep.Abstractions.Parameterizations.BuiltInTables;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// Mixture-of-experts baselines that follow from μP (docs/parameterizations.md): expert matrices are hidden weights,
/// a router over a fixed number of experts is a readout. MSSP-style variants are further tables of this shape:
/// the router role's multiplier is the router logit scale, <see cref="ParameterizationTable.ExpertAggregation"/>
/// the aggregation normalisation, and the E exponent scales with m_E = experts / base experts.
/// </summary>
public static class MoeTables
{
    /// <summary>μP with the expert and router roles written out (identical numbers to μP's fallbacks).</summary>
    public static ParameterizationTable MupMoe { get; } = Mup with
    {
        Name = "mup-moe",
        Roles = Mup.Roles
            .SetItem(ParameterRoles.Expert, Mup.For(ParameterRoles.Hidden))
            .SetItem(ParameterRoles.Router, Mup.For(ParameterRoles.Output)),
    };

    /// <summary>μP-MoE whose expert outputs are averaged over the K active experts instead of summed.</summary>
    public static ParameterizationTable MoeMeanAggregation { get; } =
        MupMoe with { Name = "moe-mean-agg", ExpertAggregation = new(1, FanIn: -1) };
}
