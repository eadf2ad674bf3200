using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>Builds the model a trial asks for, sized to its data set.</summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> Kinds = ["mlp"];

    public static ScalableModel Create(ModelConfig model, BaseShape baseShape, long inputs, long classes,
        Parameterization parameterization, Generator generator) => model.Kind switch
    {
        "mlp" => new Mlp(inputs, classes, model.Width, baseShape.Width, model.Depth, model.Activation, model.Bias,
            parameterization, generator),
        _ => throw new ArgumentException($"unknown model kind '{model.Kind}' (known: {string.Join(", ", Kinds)})"),
    };
}
