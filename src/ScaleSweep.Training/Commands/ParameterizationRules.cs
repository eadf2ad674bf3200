using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// The <c>rules</c> object a command trial receives: its parameterization evaluated at the trial's shape, by the
/// same <see cref="Parameterization"/> methods the built-in models and optimizer call. A per-layer quantity also
/// depends on the layer's fan-in, which only the program knows, so each one is handed over as
/// <c>{coef, fan_in, base_fan_in}</c>: value = coef · fan_in^fan_in · base_fan_in^base_fan_in, where coef already
/// holds every factor of the trial's scale (m_N, m_L, m_E, n), the options' input/output multipliers, σ_w² and
/// zero readout. That factorisation is exact because every rule is a product of powers (see <see cref="ScaleRule"/>).
/// </summary>
public static class ParameterizationRules
{
    public static JsonObject For(TrialSpec spec)
    {
        var p = ParameterizationCatalog.For(spec);
        var unitOptim = spec.Optim with { Lr = 1, WeightDecay = 1, Eps = 1 };
        var roles = new JsonObject();
        foreach (var role in ParameterRoles.All)
        {
            RoleRule rule;
            try { rule = p.Table.For(role); }
            catch (KeyNotFoundException) { continue; } // a table without this role: no model may use it
            // coef is the quantity at fan_in = base_fan_in = 1.
            var shape = new ParameterShape(role, FanIn: 1, BaseFanIn: 1);
            var optimizer = rule.ForOptimizer(spec.Optim.Optimizer);
            var h = p.Hyperparameters(shape, unitOptim);
            var entry = new JsonObject
            {
                ["init_std"] = Rule(p.InitStd(shape), rule.InitStd),
                ["multiplier"] = Rule(p.Multiplier(shape), rule.Multiplier),
                ["lr"] = Rule(h.Lr, optimizer.Lr),
                ["weight_decay"] = Rule(h.WeightDecay, optimizer.WeightDecay),
                ["eps"] = Rule(h.Eps, optimizer.Eps),
            };
            if (optimizer.FirstStepLr is { } first) entry["first_step_lr"] = Rule(h.FirstStepLr, first);
            roles[role] = entry;
        }
        var table = p.Table;
        return new JsonObject
        {
            ["parameterization"] = p.Name,
            ["optimizer_family"] = spec.Optim.Optimizer is "sgd" ? "sgd" : "adam",
            ["init_distribution"] = table.InitDistribution,
            ["init_mean"] = table.InitMean,
            ["zero_query"] = table.ZeroQuery,
            ["zero_readout"] = p.ZeroReadout,
            ["residual_multiplier"] = p.ResidualMultiplier,
            ["attention_scale"] = Rule(p.AttentionScale(1, 1), table.AttentionScale),
            ["expert_aggregation"] = Rule(p.ExpertAggregation(1), table.ExpertAggregation),
            ["roles"] = roles,
        };
    }

    /// <summary>One rule's value at a fan-in, as the program computes it from the document (tests compare the two).</summary>
    public static double Evaluate(JsonNode rule, double fanIn, double baseFanIn) =>
        rule["coef"]!.GetValue<double>() * Math.Pow(fanIn, rule["fan_in"]!.GetValue<double>())
        * Math.Pow(baseFanIn, rule["base_fan_in"]!.GetValue<double>());

    private static JsonObject Rule(double coef, ScaleRule rule) => new()
    {
        ["coef"] = coef,
        ["fan_in"] = rule.FanIn,
        ["base_fan_in"] = rule.BaseFanIn,
    };
}
