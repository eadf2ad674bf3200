using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>The activation functions a model can use, by spec name.</summary>
public static class Activations
{
    public static readonly IReadOnlyList<string> Names = ["relu", "tanh", "gelu", "abs", "linear"];

    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "relu" => x => nn.functional.relu(x),
        "tanh" => x => x.tanh(),
        "gelu" => x => nn.functional.gelu(x),
        "abs" => x => x.abs(),
        "linear" => x => x,
        _ => throw new ArgumentException($"unknown activation '{name}' (known: {string.Join(", ", Names)})"),
    };
}
