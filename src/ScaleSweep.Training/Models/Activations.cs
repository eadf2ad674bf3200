using ScaleSweep.Abstractions.Vocabulary;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>The tensor function of each activation a spec can name (<see cref="ActivationKind"/>).</summary>
public static class Activations
{
    private static readonly Dictionary<ActivationKind, Func<Tensor, Tensor>> Functions = new()
    {
        [ActivationKind.Relu] = x => nn.functional.relu(x),
        [ActivationKind.Tanh] = x => x.tanh(),
        [ActivationKind.Gelu] = x => nn.functional.gelu(x),
        [ActivationKind.Abs] = x => x.abs(),
        [ActivationKind.Linear] = x => x,
    };

    /// <summary>Every activation the models implement (a test checks this is every <see cref="ActivationKind"/>).</summary>
    public static IEnumerable<ActivationKind> Implemented => Functions.Keys;

    public static Func<Tensor, Tensor> Get(string name) => Functions[ActivationKind.Get(name)];
}
