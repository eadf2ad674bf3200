using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>
/// How a sweep chooses which of its grid's trials to run (<c>strategy</c> in a spec): every one, or a ladder that
/// runs the scales in order and gives the larger ones only the learning rates near the predicted optimum.
/// </summary>
public sealed record SweepStrategy(string Name, string Description) : IVocabularyWord
{
    public static SweepStrategy Grid { get; } = new("grid", "every trial of the grid");
    public static SweepStrategy Ladder { get; } = new("ladder", "scales in ascending order; later scales get a few learning rates around the predicted optimum");

    public static IReadOnlyList<SweepStrategy> All { get; } = [Grid, Ladder];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out SweepStrategy strategy) => Vocabulary.TryParse(All, name, out strategy);
}
