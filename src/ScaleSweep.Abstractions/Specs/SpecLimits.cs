using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Bounds on what a spec may be, checked before anything is built from it, so a hostile or broken file is refused
/// in milliseconds with bounded memory: its size, its nesting, and its node count with every alias expanded (an
/// alias "bomb" of nested anchors is small on disk and astronomically large expanded). Real specs are a few KB,
/// nest a handful of levels and hold a few hundred nodes.
/// </summary>
internal static class SpecLimits
{
    public const long MaxBytes = 1 << 20;
    public const int MaxDepth = 32;
    public const long MaxNodes = 10_000;

    /// <summary>The problem with <paramref name="yaml"/>'s shape and its line, or null; syntax errors are left to the parser.</summary>
    public static (string Message, long Line)? Check(string yaml)
    {
        if (yaml.Length > MaxBytes) return (TooLarge(yaml.Length), 0);
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<(string? Anchor, long Start)>();
        var anchored = new Dictionary<string, long>(StringComparer.Ordinal);
        long nodes = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var line = current.Start.Line;
                switch (current)
                {
                    case AnchorAlias alias:
                        // An alias counts as the nodes it stands for; an unknown anchor is the parser's error to report.
                        nodes += anchored.GetValueOrDefault(alias.Value.Value, 1);
                        break;
                    case Scalar scalar:
                        nodes++;
                        if (!scalar.Anchor.IsEmpty) anchored[scalar.Anchor.Value] = 1;
                        break;
                    case NodeEvent start and (SequenceStart or MappingStart):
                        open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes));
                        nodes++;
                        if (open.Count > MaxDepth) return ($"the spec nests deeper than {MaxDepth} levels", line);
                        break;
                    case SequenceEnd or MappingEnd:
                        var (anchor, startedAt) = open.Pop();
                        if (anchor is not null) anchored[anchor] = nodes - startedAt;
                        break;
                }
                if (nodes > MaxNodes)
                    return ($"the spec holds more than {MaxNodes:N0} values (aliases expanded); sweep specs list a few hundred at most", line);
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            // Reported with its position by the parser proper.
        }
        return null;
    }

    public static string TooLarge(long bytes) => $"the spec is {bytes / 1024.0 / 1024.0:0.#} MiB; specs are limited to {MaxBytes / 1024 / 1024} MiB";
}
