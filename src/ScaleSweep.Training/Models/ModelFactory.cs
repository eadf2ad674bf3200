using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// Builds the model a trial asks for, sized to its data set (inputs = features, or the vocabulary for token
/// data; classes = logits per prediction).
/// </summary>
public static class ModelFactory
{
    private delegate ScalableModel Builder(ModelConfig model, BaseShape baseShape, long inputs, long classes,
        Parameterization parameterization, Generator generator);

    /// <summary>How each trainable <see cref="ModelKind"/> is built (noop trains nothing; the worker runs it).</summary>
    private static readonly Dictionary<ModelKind, Builder> Builders = new()
    {
        [ModelKind.Mlp] = (model, baseShape, inputs, classes, parameterization, generator) =>
            new Mlp(inputs, classes, model.Width, baseShape.Width, model.Depth, model.Activation, model.Bias,
                parameterization, generator) { Dropout = model.Dropout },
        [ModelKind.Resnet] = (model, baseShape, inputs, classes, parameterization, generator) =>
            new ResidualMlp(model, baseShape, inputs, classes, parameterization, generator),
        [ModelKind.ConvResnet] = (model, baseShape, inputs, classes, parameterization, generator) =>
            new ConvResNet(model, baseShape, inputs, classes, parameterization, generator),
        [ModelKind.Transformer] = (model, baseShape, inputs, classes, parameterization, generator) =>
            Sequence(model, baseShape, inputs, classes, parameterization, generator,
                (name, s) => new FeedForward(name, s, parameterization, generator)),
        [ModelKind.Moe] = (model, baseShape, inputs, classes, parameterization, generator) =>
            Sequence(model, baseShape, inputs, classes, parameterization, generator,
                (name, s) => new MixtureOfExperts(name, s, parameterization, generator)),
    };

    /// <summary>Every model kind this factory builds.</summary>
    public static IEnumerable<ModelKind> Buildable => Builders.Keys;

    public static ScalableModel Create(ModelConfig model, BaseShape baseShape, long inputs, long classes,
        Parameterization parameterization, Generator generator) =>
        Builders.TryGetValue(ModelKind.Get(model.Kind), out var build)
            ? build(model, baseShape, inputs, classes, parameterization, generator)
            : throw new ArgumentException($"model kind '{model.Kind}' trains nothing (known: {string.Join(", ", Buildable.Select(k => k.Name))})");

    private static Transformer Sequence(ModelConfig model, BaseShape baseShape, long vocabulary, long classes,
        Parameterization parameterization, Generator generator, Func<string, TransformerSettings, PositionwiseLayer> positionwise)
    {
        var settings = TransformerSettings.From(model, baseShape);
        return new Transformer(model.Kind, settings, vocabulary, classes, name => positionwise(name, settings), parameterization, generator);
    }
}
