using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// A <c>command</c> trial's program (docs/command-trials.md): an argument list (never a shell string) whose
/// <c>{name}</c> placeholders take the trial's values, its working folder and extra environment. What the program
/// computes depends on these, so they are part of the trial's key; the timeout and the declared result columns
/// only decide what happens around it, so they are not.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CommandConfig(
    [property: Id(0)] ImmutableArray<string> Run,
    [property: Id(1)] string? Workdir,
    [property: Id(2)] ImmutableSortedDictionary<string, string> Env)
{
    /// <summary>Seconds the program may run before it is killed and the attempt fails; 0 = no limit.</summary>
    [Id(3), JsonIgnore] public double TimeoutSeconds { get; init; }

    /// <summary>Numeric keys of the final result line that become trials.parquet columns (<c>model.metrics</c>).</summary>
    [Id(4), JsonIgnore] public ImmutableArray<string> Metrics { get; init; } = [];

    /// <summary>The program: the first element of <see cref="Run"/>.</summary>
    [JsonIgnore] public string Program => Run.IsDefaultOrEmpty ? "" : Run[0];
}
