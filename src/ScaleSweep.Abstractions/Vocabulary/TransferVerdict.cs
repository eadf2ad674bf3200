using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// The outcome of a transfer analysis (<c>verdict</c> in transfer.json): the deciding figure's bootstrap interval is
/// within the tolerance, beyond it, or straddles it.
/// </summary>
public sealed record TransferVerdict(string Name, string Text) : IVocabularyWord
{
    public static TransferVerdict Transfers { get; } = new("transfers", "transfers");
    public static TransferVerdict DoesNotTransfer { get; } = new("does_not_transfer", "does not transfer");
    public static TransferVerdict Inconclusive { get; } = new("inconclusive", "inconclusive");

    public static IReadOnlyList<TransferVerdict> All { get; } = [Transfers, DoesNotTransfer, Inconclusive];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out TransferVerdict verdict) => Vocabulary.TryParse(All, name, out verdict);

    public static TransferVerdict Get(string name) => Vocabulary.Get(All, name, "transfer verdict");
}
