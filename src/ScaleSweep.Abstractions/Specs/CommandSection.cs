using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// The <c>command</c> model's fields: <c>run</c> (an argument list), <c>workdir</c>, <c>env</c>, <c>timeout_s</c> and
/// <c>metrics</c>. Placeholders in <c>run</c> are checked where the trial's names are known (the runner's document).
/// </summary>
internal static class CommandSection
{
    private static readonly ValueRule Timeout = new(false, v => v > 0 && v <= 30 * 86_400, "must be a positive number of seconds (at most 30 days)");

    /// <summary>Null when the model sets no <c>run</c> (every kind but command).</summary>
    public static CommandConfig? Read(MappingReader r)
    {
        var diag = r.Diag;
        var run = Strings(r, "run");
        var workdir = r.String("workdir");
        if (workdir is { Length: 0 }) diag.Error(r.PathOf("workdir"), "must not be empty");
        var env = Env(r);
        var timeout = r.Number("timeout_s", Timeout);
        var metrics = Strings(r, "metrics");
        if (run is null) return null;
        if (run.Value.IsEmpty) diag.Error(r.PathOf("run"), "must name the program: [program, arg, ...]");
        else if (run.Value[0].Length == 0) diag.Error(SpecDiagnostics.Item(r.PathOf("run"), 0), "the program must not be empty");
        else if (run.Value[0].Contains('{')) diag.Error(SpecDiagnostics.Item(r.PathOf("run"), 0), "the program must be a fixed path (placeholders go in its arguments)");
        return new CommandConfig(run.Value, workdir, env)
        {
            TimeoutSeconds = timeout ?? 0,
            Metrics = metrics ?? [],
        };
    }

    /// <summary>A list of plain strings (a single string is an error: <c>run</c> is never split like a shell line).</summary>
    private static ImmutableArray<string>? Strings(MappingReader r, string key)
    {
        var node = r.Take(key);
        if (node is null) return null;
        var path = r.PathOf(key);
        if (node is not YamlSequenceNode sequence)
        {
            r.Diag.Error(path, node, "must be a list of strings ([a, b, ...]), not one string: it is never split like a shell line");
            return null;
        }
        var items = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlScalarNode { Value: { } text }) items.Add(text);
            else r.Diag.Error(SpecDiagnostics.Item(path, i), sequence.Children[i], "must be a string");
        }
        return items.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> Env(MappingReader r)
    {
        var env = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var node = r.Take("env");
        if (node is null) return env.ToImmutable();
        if (node is not YamlMappingNode mapping)
        {
            r.Diag.Error(r.PathOf("env"), node, "must be a mapping of variable names to values");
            return env.ToImmutable();
        }
        foreach (var (k, v) in mapping.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            var path = SpecDiagnostics.Child(r.PathOf("env"), name);
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0')) r.Diag.Error(r.PathOf("env"), k, $"'{name}' is not an environment variable name");
            else if (v is not YamlScalarNode { Value: var value }) r.Diag.Error(path, v, "must be a single value (a string)");
            else if (!env.TryAdd(name, value ?? "")) r.Diag.Error(path, k, "duplicate variable");
        }
        return env.ToImmutable();
    }
}
