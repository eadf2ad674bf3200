using System.Collections.Immutable;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Vocabulary;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Reads a user-defined parameterization table (an entry of <c>parameterizations</c> that is a mapping)
/// into <see cref="ParameterizationTable"/>. A scale rule is a number (its coefficient) or a mapping
/// <c>{coef, fan_in, base_fan_in, n, l, e}</c>; omitted exponents are 0 and an omitted coef is 1.
/// </summary>
internal static class ParameterizationTableReader
{
    private static readonly ImmutableArray<string> RequiredRoles =
        [ParameterRoles.Input, ParameterRoles.Hidden, ParameterRoles.Output, ParameterRoles.Bias];

    private static readonly ValueRule NonNegativeCoef = new(false, v => v >= 0, "must be a non-negative number");

    /// <summary>The table, or null when any part of it is invalid (the problems are in the diagnostics).</summary>
    public static ParameterizationTable? Read(MappingReader r)
    {
        var errorsBefore = r.Diag.Count;
        var name = r.String("name", required: true);
        if (name is not null && !SpecNames.IsValid(name)) r.Diag.Error(r.PathOf("name"), SpecNames.Rule);
        else if (name is not null && BuiltInTables.All.ContainsKey(name))
            r.Diag.Error(r.PathOf("name"), $"'{name}' is a built-in parameterization; give the table another name");
        var table = new ParameterizationTable(name ?? "", Roles(r));
        table = table with
        {
            InitDistribution = r.Choice("init_distribution", InitDistribution.Names) ?? table.InitDistribution,
            Residual = Scale(r, "residual", ValueRule.Finite) ?? table.Residual,
            AttentionScale = Scale(r, "attention_scale", ValueRule.Finite) ?? table.AttentionScale,
            ZeroQuery = r.Bool("zero_query") ?? table.ZeroQuery,
            ZeroReadout = r.Bool("zero_readout") ?? table.ZeroReadout,
            InitMean = r.Number("init_mean", ValueRule.Finite) ?? table.InitMean,
        };
        r.RejectUnknown();
        return r.Diag.Count == errorsBefore ? table : null;
    }

    private static ImmutableSortedDictionary<string, RoleRule> Roles(MappingReader table)
    {
        var roles = ImmutableSortedDictionary.CreateBuilder<string, RoleRule>(StringComparer.Ordinal);
        var r = MappingReader.Open(table.Require("roles"), table.PathOf("roles"), table.Diag);
        if (r is null) return roles.ToImmutable();
        foreach (var role in ParameterRoles.All)
        {
            var node = r.Take(role);
            if (node is null)
            {
                if (RequiredRoles.Contains(role)) r.Diag.Error(r.PathOf(role), "required role");
                continue;
            }
            if (Role(MappingReader.Open(node, r.PathOf(role), r.Diag)) is { } rule) roles[role] = rule;
        }
        r.RejectUnknown();
        return roles.ToImmutable();
    }

    private static RoleRule? Role(MappingReader? r)
    {
        if (r is null) return null;
        var initStd = r.Require("init_std") is { } node ? Scale(node, r.PathOf("init_std"), r.Diag, NonNegativeCoef) : null;
        var rule = new RoleRule(
            initStd ?? ScaleRule.One,
            Scale(r, "multiplier", ValueRule.Finite) ?? ScaleRule.One,
            Optimizer(r, "adam"),
            Optimizer(r, "sgd"));
        r.RejectUnknown();
        return rule;
    }

    private static OptimizerRule Optimizer(MappingReader parent, string key)
    {
        var r = MappingReader.Open(parent.Take(key), parent.PathOf(key), parent.Diag);
        if (r is null) return OptimizerRule.Unscaled;
        var rule = new OptimizerRule(
            Scale(r, "lr", NonNegativeCoef) ?? ScaleRule.One,
            Scale(r, "weight_decay", NonNegativeCoef) ?? ScaleRule.One,
            Scale(r, "eps", NonNegativeCoef) ?? ScaleRule.One);
        r.RejectUnknown();
        return rule;
    }

    private static ScaleRule? Scale(MappingReader parent, string key, ValueRule coefRule) =>
        parent.Take(key) is { } node ? Scale(node, parent.PathOf(key), parent.Diag, coefRule) : null;

    private static ScaleRule? Scale(YamlNode node, string path, SpecDiagnostics diag, ValueRule coefRule)
    {
        if (node is YamlScalarNode)
        {
            if (coefRule.TryRead(node, out var constant)) return new ScaleRule(constant);
            diag.Error(path, node, $"{coefRule.Message} or a mapping {{coef, fan_in, base_fan_in, n, l, e}}");
            return null;
        }
        var r = MappingReader.Open(node, path, diag);
        if (r is null) return null;
        var rule = new ScaleRule(
            r.Number("coef", coefRule) ?? 1,
            FanIn: r.Number("fan_in", ValueRule.Finite) ?? 0,
            N: r.Number("n", ValueRule.Finite) ?? 0,
            L: r.Number("l", ValueRule.Finite) ?? 0,
            E: r.Number("e", ValueRule.Finite) ?? 0,
            BaseFanIn: r.Number("base_fan_in", ValueRule.Finite) ?? 0);
        r.RejectUnknown();
        return rule;
    }
}
