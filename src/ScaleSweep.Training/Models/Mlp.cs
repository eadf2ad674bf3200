using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// Fully connected network: <c>depth</c> hidden layers of <c>width</c> units (the first maps the input, the
/// rest are width → width) and a readout. Modules are named input, hidden.1 … hidden.(depth−1), output.
/// </summary>
public sealed class Mlp : ScalableModel
{
    private readonly ModuleList<ScaledLinear> layers = new();
    private readonly Func<Tensor, Tensor> activation;
    private readonly string[] names;
    private readonly Generator generator;

    public Mlp(long inputs, long classes, int width, int baseWidth, int depth, string activationName, bool bias,
        Parameterization parameterization, Generator generator) : base("mlp")
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), "an MLP needs at least one hidden layer");
        activation = Activations.Get(activationName);
        var moduleNames = new List<string> { "input" };
        layers.Add(new ScaledLinear("input", inputs, width, inputs, ParameterRoles.Input, bias, parameterization, generator));
        for (int i = 1; i < depth; i++)
        {
            moduleNames.Add($"hidden.{i}");
            layers.Add(new ScaledLinear($"hidden.{i}", width, width, baseWidth, ParameterRoles.Hidden, bias, parameterization, generator));
        }
        moduleNames.Add("output");
        layers.Add(new ScaledLinear("output", width, classes, baseWidth, ParameterRoles.Output, bias, parameterization, generator));
        names = moduleNames.ToArray();
        this.generator = generator;
        ScaledParameters = layers.SelectMany(l => l.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    /// <summary>Drop probability p after every hidden activation in training mode (keep ρ = 1 − p); 0 = none.</summary>
    public double Dropout { get; init; }

    public override Tensor Forward(Tensor input, ActivationProbe? probe)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            probe?.Invoke(names[i], x);
            if (i < layers.Count - 1) x = activation(x);
            if (i < layers.Count - 1 && training && Dropout > 0) x = Drop(x);
        }
        return x;
    }

    /// <summary>
    /// Inverted dropout, x·m/ρ with m ~ Bernoulli(ρ). The mask is drawn on the CPU from the trial's generator (libtorch's
    /// own dropout only uses the global RNG), so a seed gives the same masks on every device and thread count.
    /// </summary>
    public Tensor Drop(Tensor x)
    {
        var keep = 1 - Dropout;
        var mask = empty(x.shape, dtype: x.dtype).bernoulli_(keep, generator).DivBy_(keep);
        return x.mul(x.device_type == TorchSharp.DeviceType.CPU ? mask : mask.to(x.device));
    }
}
