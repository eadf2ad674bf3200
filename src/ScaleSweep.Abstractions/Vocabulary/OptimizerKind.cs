using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>The optimizers a trial can use (<c>train.optimizer</c>, <c>--optimizer</c>).</summary>
public sealed record OptimizerKind(string Name, bool Adaptive, string Description) : IVocabularyWord
{
    public static OptimizerKind Sgd { get; } = new("sgd", false, "SGD with momentum");
    public static OptimizerKind Adam { get; } = new("adam", true, "Adam (L2 weight decay)");
    public static OptimizerKind AdamW { get; } = new("adamw", true, "AdamW (decoupled weight decay)");

    public static IReadOnlyList<OptimizerKind> All { get; } = [Sgd, Adam, AdamW];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out OptimizerKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static OptimizerKind Get(string name) => Vocabulary.Get(All, name, "optimizer");
}
