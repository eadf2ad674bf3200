using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Collects errors while a spec is read, and remembers the YAML line of every field path seen, so checks
/// that run after parsing (cross-field rules) can still point at a line.
/// </summary>
internal sealed class SpecDiagnostics
{
    private readonly List<SpecError> errors = [];
    private readonly Dictionary<string, long> lines = new(StringComparer.Ordinal);

    public bool HasErrors => errors.Count > 0;

    /// <summary>Errors so far; compare before and after reading a part to tell whether that part was valid.</summary>
    public int Count => errors.Count;

    public void Locate(string path, YamlNode node) => lines.TryAdd(path, node.Start.Line);

    /// <summary>True when the spec set this path (also when its value was invalid).</summary>
    public bool Has(string path) => lines.ContainsKey(path);

    /// <summary>Line of the path, or of its nearest located ancestor (grid.lr[3] falls back to grid.lr).</summary>
    public long LineOf(string path)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (lines.TryGetValue(p, out var line)) return line;
            if (p.Length == 0) return 0;
        }
    }

    public void Error(string path, string message) => errors.Add(new SpecError(path, LineOf(path), message));

    public void Error(string path, YamlNode node, string message) =>
        errors.Add(new SpecError(path, node.Start.Line, message));

    public void Error(string path, long line, string message) => errors.Add(new SpecError(path, line, message));

    /// <summary>Errors in file order (stable, so two problems on one line keep the order they were found).</summary>
    public ImmutableArray<SpecError> Errors =>
        [.. errors.OrderBy(e => e.Line == 0 ? long.MaxValue : e.Line)];

    public ImmutableDictionary<string, long> Lines => lines.ToImmutableDictionary(StringComparer.Ordinal);

    public SpecValidationException ToException(string sourceName) => new(sourceName, Errors);

    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }
}
