using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Vocabulary;

/// <summary>The nonlinearities a model can use (<c>model.activation</c>, <c>--activation</c>).</summary>
public sealed record ActivationKind(string Name) : IVocabularyWord
{
    public static ActivationKind Relu { get; } = new("relu");
    public static ActivationKind Tanh { get; } = new("tanh");
    public static ActivationKind Gelu { get; } = new("gelu");
    public static ActivationKind Abs { get; } = new("abs");
    public static ActivationKind Linear { get; } = new("linear");

    public static IReadOnlyList<ActivationKind> All { get; } = [Relu, Tanh, Gelu, Abs, Linear];

    public static ImmutableArray<string> Names { get; } = Vocabulary.NamesOf(All);

    public static bool TryParse(string? name, out ActivationKind kind) => Vocabulary.TryParse(All, name, out kind);

    public static ActivationKind Get(string name) => Vocabulary.Get(All, name, "activation");
}
