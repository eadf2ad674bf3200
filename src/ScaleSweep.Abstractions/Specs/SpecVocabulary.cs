using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// The closed sets of words a spec may use. One place, so the validator, the docs and the trainer agree;
/// the order is the order error messages list them in.
/// </summary>
public static class SpecVocabulary
{
    public static ImmutableArray<string> ModelKinds { get; } = ["mlp", "resnet", "conv-resnet", "transformer", "moe", "noop"];
    public static ImmutableArray<string> DataKinds { get; } = ["synthetic", "fashion-mnist", "text"];
    public static ImmutableArray<string> Optimizers { get; } = ["sgd", "adam", "adamw"];
    public static ImmutableArray<string> Schedules { get; } = ["constant", "cosine", "linear"];
    /// <summary>Matches ScaleSweep.Training's activations; add a name here when the trainer gains one.</summary>
    public static ImmutableArray<string> Activations { get; } = ["relu", "tanh", "gelu", "abs", "linear"];
    public static ImmutableArray<string> Devices { get; } = ["cpu", "cuda"];
    /// <summary>How an MoE layer combines its K active experts.</summary>
    public static ImmutableArray<string> Aggregations { get; } = ["sum", "mean"];
    public static ImmutableArray<string> InitDistributions { get; } = ["normal", "uniform"];

    /// <summary>Model kinds that have attention heads (width must be a multiple of heads).</summary>
    public static ImmutableArray<string> AttentionKinds { get; } = ["transformer", "moe"];
}
