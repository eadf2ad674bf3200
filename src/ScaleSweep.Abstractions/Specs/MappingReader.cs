using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Strict reading of one YAML mapping: every field asked for becomes known; <see cref="RejectUnknown"/>
/// then reports every other key (with a spelling suggestion). Problems go to the diagnostics, and the
/// typed readers return null for a missing or invalid value so reading carries on.
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlMappingNode node;
    private readonly HashSet<string> known = new(StringComparer.Ordinal);

    private MappingReader(YamlMappingNode node, string path, SpecDiagnostics diag)
    {
        this.node = node;
        Path = path;
        Diag = diag;
    }

    public string Path { get; }
    public SpecDiagnostics Diag { get; }
    public YamlMappingNode Node => node;

    /// <summary>A reader for a mapping node; null (with an error when the node is something else) otherwise.</summary>
    public static MappingReader? Open(YamlNode? node, string path, SpecDiagnostics diag)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                diag.Locate(path, mapping);
                return new MappingReader(mapping, path, diag);
            default:
                diag.Error(path, node, "must be a mapping (key: value pairs)");
                return null;
        }
    }

    public string PathOf(string key) => SpecDiagnostics.Child(Path, key);

    /// <summary>The value of a field, or null when absent or YAML null (<c>key:</c>, <c>~</c>, <c>null</c>).</summary>
    public YamlNode? Take(string key)
    {
        known.Add(key);
        foreach (var (k, v) in node.Children)
        {
            if (k is not YamlScalarNode { Value: { } name } || name != key) continue;
            Diag.Locate(PathOf(key), k);
            return IsNull(v) ? null : v;
        }
        return null;
    }

    public YamlNode? Require(string key)
    {
        var value = Take(key);
        if (value is null) Diag.Error(PathOf(key), "required field");
        return value;
    }

    public string? String(string key, bool required = false)
    {
        var value = required ? Require(key) : Take(key);
        if (value is null) return null;
        if (value is YamlScalarNode { Value: { } text }) return text;
        Diag.Error(PathOf(key), value, "must be a single value (a string)");
        return null;
    }

    /// <summary>A string from a closed set; an unknown word is reported with the allowed ones.</summary>
    public string? Choice(string key, ImmutableArray<string> allowed, bool required = false)
    {
        var text = String(key, required);
        if (text is null || allowed.Contains(text)) return text;
        Diag.Error(PathOf(key), Unknown(text, allowed));
        return null;
    }

    public double? Number(string key, ValueRule rule, bool required = false)
    {
        var value = required ? Require(key) : Take(key);
        if (value is null) return null;
        if (rule.TryRead(value, out var number)) return number;
        Diag.Error(PathOf(key), value, rule.Message);
        return null;
    }

    public int? Int(string key, ValueRule rule, bool required = false) =>
        Number(key, rule, required) is { } n ? (int)n : null;

    public bool? Bool(string key)
    {
        var value = Take(key);
        if (value is null) return null;
        if (value is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var flag)) return flag;
        Diag.Error(PathOf(key), value, "must be true or false");
        return null;
    }

    /// <summary>Reports keys that were never asked for, and keys that are not plain names.</summary>
    public void RejectUnknown()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, _) in node.Children)
        {
            if (k is not YamlScalarNode { Value: { } name })
            {
                Diag.Error(Path, k, "field names must be plain words");
                continue;
            }
            if (!seen.Add(name))
            {
                Diag.Error(PathOf(name), k, "duplicate field");
                continue;
            }
            if (known.Contains(name)) continue;
            var hint = Spelling.Hint(name, known);
            var message = hint.Length > 0
                ? $"unknown field{hint}"
                : $"unknown field (allowed: {string.Join(", ", known.Order(StringComparer.Ordinal))})";
            Diag.Error(PathOf(name), k, message);
        }
    }

    /// <summary>"unknown value 'x'; did you mean 'y'? (allowed: ...)": closed sets are short, so always list them.</summary>
    public static string Unknown(string word, IEnumerable<string> allowed)
    {
        var list = allowed.ToList();
        return $"unknown value '{word}'{Spelling.Hint(word, list)} (allowed: {string.Join(", ", list)})";
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } s
        && s.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
