using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// The figure a transfer verdict is decided by (<c>criterion</c> in transfer.json): the largest relative loss
/// penalty of using the smallest scale's η* everywhere (against <c>tolerance_loss</c>), or the spread of log2 η*
/// (against <c>tolerance_log2</c>).
/// </summary>
public sealed record TransferCriterion(string Name, string Figure) : IVocabularyWord
{
    public static TransferCriterion Penalty { get; } = new("penalty", "transfer penalty");
    public static TransferCriterion Spread { get; } = new("spread", "spread of log2 η*");

    public static IReadOnlyList<TransferCriterion> All { get; } = [Penalty, Spread];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out TransferCriterion criterion) => Vocabulary.TryParse(All, name, out criterion);

    public static TransferCriterion Get(string name) => Vocabulary.Get(All, name, "transfer criterion");
}
