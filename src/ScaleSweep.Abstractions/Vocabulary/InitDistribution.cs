using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>The init distributions of a parameterization table (<c>init_distribution</c>), both at the role's std.</summary>
public sealed record InitDistribution(string Name) : IVocabularyWord
{
    public static InitDistribution Normal { get; } = new("normal");
    public static InitDistribution Uniform { get; } = new("uniform");

    public static IReadOnlyList<InitDistribution> All { get; } = [Normal, Uniform];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out InitDistribution kind) => Vocabulary.TryParse(All, name, out kind);
}
