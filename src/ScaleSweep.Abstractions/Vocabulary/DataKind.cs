using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>What a data set feeds a model: feature vectors with a class label, or byte tokens.</summary>
public enum DataShape
{
    /// <summary>Float features [N, D] with one label each (D a square number, so an image model can read them).</summary>
    Features,
    /// <summary>Byte windows for next-token prediction.</summary>
    Tokens,
}

/// <summary>The data sets a trial can train on (<c>data.kind</c>, <c>--data</c>).</summary>
public sealed record DataKind(string Name, DataShape Shape, string Description) : IVocabularyWord
{
    public static DataKind Synthetic { get; } = new("synthetic", DataShape.Features, "a seeded Gaussian-mixture task, 64 features (8×8), 10 classes");
    public static DataKind FashionMnist { get; } = new("fashion-mnist", DataShape.Features, "Fashion-MNIST, 28×28 images, 10 classes (Debian dataset-fashion-mnist)");
    public static DataKind Text { get; } = new("text", DataShape.Tokens, "bytes of the King James Bible (Debian bible-kjv), or of the file at data.path");

    public static IReadOnlyList<DataKind> All { get; } = [Synthetic, FashionMnist, Text];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out DataKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static DataKind Get(string name) => Vocabulary.Get(All, name, "data kind");
}
