using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Names of the built-in parameterizations a spec may list. The trainer implements them; a new built-in
/// table registers its name here (thread-safe, copy-on-write) so specs can use it.
/// </summary>
public static class KnownParameterizations
{
    private static ImmutableSortedSet<string> names = ImmutableSortedSet.Create(
        StringComparer.Ordinal,
        "sp", "ntk", "mup", "depth-mup", "completep", "ip", "ip-large-lr", "ip-noncentred", "mean-field",
        "mup-moe", "moe-mean-agg",
        "gaussian");

    /// <summary>Current set of built-in names.</summary>
    public static ImmutableSortedSet<string> Names => names;

    public static bool Contains(string name) => names.Contains(name);

    /// <summary>Adds a built-in name (idempotent).</summary>
    public static void Add(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ImmutableInterlocked.Update(ref names, set => set.Add(name));
    }
}
