using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// Builds the model a trial asks for, sized to its data set (inputs = features, or the vocabulary for token
/// data; classes = logits per prediction).
/// </summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> Kinds = ["mlp", "resnet", "conv-resnet", "transformer", "moe"];

    public static ScalableModel Create(ModelConfig model, BaseShape baseShape, long inputs, long classes,
        Parameterization parameterization, Generator generator) => model.Kind switch
    {
        "mlp" => new Mlp(inputs, classes, model.Width, baseShape.Width, model.Depth, model.Activation, model.Bias,
            parameterization, generator) { Dropout = model.Dropout },
        "resnet" => new ResidualMlp(model, baseShape, inputs, classes, parameterization, generator),
        "conv-resnet" => new ConvResNet(model, baseShape, inputs, classes, parameterization, generator),
        "transformer" => Sequence(model, baseShape, inputs, classes, parameterization, generator,
            (name, s) => new FeedForward(name, s, parameterization, generator)),
        "moe" => Sequence(model, baseShape, inputs, classes, parameterization, generator,
            (name, s) => new MixtureOfExperts(name, s, parameterization, generator)),
        _ => throw new ArgumentException($"unknown model kind '{model.Kind}' (known: {string.Join(", ", Kinds)})"),
    };

    private static Transformer Sequence(ModelConfig model, BaseShape baseShape, long vocabulary, long classes,
        Parameterization parameterization, Generator generator, Func<string, TransformerSettings, PositionwiseLayer> positionwise)
    {
        var settings = TransformerSettings.From(model, baseShape);
        return new Transformer(model.Kind, settings, vocabulary, classes, name => positionwise(name, settings), parameterization, generator);
    }
}
