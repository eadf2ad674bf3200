using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>A word of a closed vocabulary: the name specs, flags and result files use for it.</summary>
public interface IVocabularyWord
{
    string Name { get; }
}

/// <summary>
/// Lookups shared by the vocabulary tables (<see cref="ModelKind"/>, <see cref="DataKind"/>, …). Each table keeps
/// its words in one <c>All</c> list, in the order error messages and help texts list them; names match exactly.
/// </summary>
public static class Vocabulary
{
    public static ImmutableArray<string> NamesOf<T>(IEnumerable<T> words) where T : IVocabularyWord => [.. words.Select(w => w.Name)];

    public static bool TryParse<T>(IEnumerable<T> words, string? name, out T word) where T : class, IVocabularyWord
    {
        word = words.FirstOrDefault(w => w.Name == name)!;
        return word is not null;
    }

    /// <summary>The word named <paramref name="name"/>; an <see cref="ArgumentException"/> listing the known names otherwise.</summary>
    public static T Get<T>(IEnumerable<T> words, string name, string what) where T : class, IVocabularyWord =>
        TryParse(words, name, out var word) ? word
        : throw new ArgumentException($"unknown {what} '{name}' (known: {string.Join(", ", NamesOf(words))})");
}
