using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>How an MoE layer combines its K active experts (<c>model.aggregation</c>): their sum or their mean.</summary>
public sealed record MixtureAggregation(string Name, bool Mean) : IVocabularyWord
{
    public static MixtureAggregation Sum { get; } = new("sum", false);
    public static MixtureAggregation Average { get; } = new("mean", true);

    public static IReadOnlyList<MixtureAggregation> All { get; } = [Sum, Average];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out MixtureAggregation kind) => Vocabulary.TryParse(All, name, out kind);

    public static MixtureAggregation Get(string name) => Vocabulary.Get(All, name, "aggregation");
}
