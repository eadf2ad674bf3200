using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Reads <c>grid</c>: each key a list of values or a <c>{log2|linear: {from, to, step}}</c> range (both
/// ends inclusive). Keys keep spec order, which is the expansion order.
/// </summary>
internal static class GridSection
{
    // Range ends are compared and exponents rounded with this slack so 0.1-steps land on their end point.
    private const double Slack = 1e-9;
    private const int RoundDigits = 12;

    public static ImmutableArray<GridAxis> Read(YamlNode? node, SpecDiagnostics diag, int maxTrials)
    {
        if (node is null) return [];
        var grid = MappingReader.Open(node, "grid", diag);
        if (grid is null) return [];
        if (grid.Node.Children.Count == 0) diag.Error("grid", grid.Node, "must not be empty (sweep at least lr)");
        var axes = ImmutableArray.CreateBuilder<GridAxis>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in grid.Node.Children)
        {
            if (k is not YamlScalarNode { Value: { } name })
            {
                diag.Error("grid", k, "grid keys must be plain words");
                continue;
            }
            var path = SpecDiagnostics.Child("grid", name);
            if (!seen.Add(name))
            {
                diag.Error(path, k, "duplicate grid key");
                continue;
            }
            diag.Locate(path, k);
            if (GridKeys.Find(name) is not { } key)
            {
                diag.Error(path, k, UnknownKey(name));
                continue;
            }
            foreach (var fixedAt in key.FixedAt.Where(diag.Has))
                diag.Error(path, k, $"also fixed at {fixedAt} (line {diag.LineOf(fixedAt)}); set it in one place");
            if (Values(key, v, path, diag, maxTrials) is { } values) axes.Add(new GridAxis(name, values));
        }
        if (!seen.Contains("lr")) diag.Error("grid.lr", "required field");
        return axes.ToImmutable();
    }

    private static string UnknownKey(string name)
    {
        var hint = Spelling.Hint(name, GridKeys.Names);
        return hint.Length > 0
            ? $"unknown grid key{hint}"
            : $"unknown grid key (allowed: {string.Join(", ", GridKeys.Names)})";
    }

    private static ImmutableArray<double>? Values(GridKey key, YamlNode node, string path, SpecDiagnostics diag, int maxTrials)
    {
        switch (node)
        {
            case YamlSequenceNode list:
                return List(key, list, path, diag);
            case YamlMappingNode:
                return Range(key, node, path, diag, maxTrials);
            default:
                diag.Error(path, node, MappingReader.IsNull(node)
                    ? "must not be empty"
                    : "must be a list of values or a range {log2|linear: {from, to, step}}");
                return null;
        }
    }

    private static ImmutableArray<double> List(GridKey key, YamlSequenceNode list, string path, SpecDiagnostics diag)
    {
        if (list.Children.Count == 0) diag.Error(path, list, "must not be empty");
        var values = ImmutableArray.CreateBuilder<double>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var itemPath = SpecDiagnostics.Item(path, i);
            diag.Locate(itemPath, item);
            if (!key.Rule.TryRead(item, out var value))
                diag.Error(itemPath, item, key.Rule.Message);
            else if (values.Contains(value))
                diag.Error(itemPath, item, $"duplicate value {ValueRule.Show(value)}");
            else
                values.Add(value);
        }
        return values.ToImmutable();
    }

    private static ImmutableArray<double>? Range(GridKey key, YamlNode node, string path, SpecDiagnostics diag, int maxTrials)
    {
        var r = MappingReader.Open(node, path, diag)!;
        var log2 = r.Take("log2");
        var linear = r.Take("linear");
        r.RejectUnknown();
        if (log2 is not null && linear is not null)
        {
            diag.Error(path, node, "give either log2 or linear, not both");
            return null;
        }
        if ((log2 ?? linear) is not { } spec)
        {
            if (r.Node.Children.Count == 0) diag.Error(path, node, "must be a list of values or a range {log2|linear: {from, to, step}}");
            return null;
        }
        var rangePath = r.PathOf(log2 is not null ? "log2" : "linear");
        var bounds = MappingReader.Open(spec, rangePath, diag);
        if (bounds is null) return null;
        var from = bounds.Number("from", ValueRule.Finite, required: true);
        var to = bounds.Number("to", ValueRule.Finite, required: true);
        var step = bounds.Number("step", ValueRule.Finite, required: true);
        bounds.RejectUnknown();
        if (from is not { } f || to is not { } t || step is not { } s) return null;
        if (s <= 0)
        {
            diag.Error(bounds.PathOf("step"), "must be positive");
            return null;
        }
        if (f > t)
        {
            diag.Error(rangePath, $"reversed range: from {ValueRule.Show(f)} is greater than to {ValueRule.Show(t)}");
            return null;
        }
        var count = Math.Floor((t - f) / s + Slack) + 1;
        if (count > maxTrials)
        {
            diag.Error(rangePath, $"range has {count:0} values, more than limits.max_trials ({maxTrials})");
            return null;
        }
        var values = ImmutableArray.CreateBuilder<double>((int)count);
        for (var i = 0; i < (int)count; i++)
        {
            // Each point from its index (no accumulated error); 2^integer is exact in binary floating point.
            var x = Math.Round(f + i * s, RoundDigits);
            var value = log2 is not null ? Math.Pow(2, x) : x;
            if (!key.Rule.Accepts(value))
            {
                diag.Error(rangePath, $"{key.Rule.Message}, but the range gives {ValueRule.Show(value)}");
                return null;
            }
            if (!values.Contains(value)) values.Add(value);
        }
        return values.ToImmutable();
    }
}
