using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// The residual MLP (<c>resnet</c>): input layer → <c>depth</c> blocks x + r·f(x), r = the parameterization's
/// residual multiplier (1 for SP/μP, m_L^-1/2 for Depth-μP, m_L^-1 for CompleteP) → readout of the final
/// stream. Probe names: input, block.1 … block.L, blocks (the stream after the last block), output.
/// </summary>
public sealed class ResidualMlp : ScalableModel
{
    private readonly ScaledLinear input;
    private readonly ModuleList<ResidualBlock> blocks = new();
    private readonly ScaledLinear output;
    private readonly double residual;

    public ResidualMlp(ModelConfig model, BaseShape baseShape, long inputs, long classes, Parameterization parameterization,
        Generator generator) : base("resnet")
    {
        if (model.Depth < 1) throw new ArgumentOutOfRangeException(nameof(model), "a residual MLP needs at least one block");
        var activation = Activations.Get(model.Activation);
        input = new ScaledLinear("input", inputs, model.Width, inputs, ParameterRoles.Input, model.Bias, parameterization, generator);
        for (int i = 1; i <= model.Depth; i++)
            blocks.Add(new ResidualBlock($"block.{i}", model.Width, baseShape.Width, model.BlockDepth, model.LayerNorm, activation,
                model.Bias, parameterization, generator));
        output = new ScaledLinear("output", model.Width, classes, baseShape.Width, ParameterRoles.Output, model.Bias, parameterization, generator);
        residual = parameterization.ResidualMultiplier;
        ScaledParameters = input.ScaledParameters.Concat(blocks.SelectMany(b => b.ScaledParameters)).Concat(output.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor Forward(Tensor x, ActivationProbe? probe)
    {
        var h = input.forward(x);
        probe?.Invoke("input", h);
        for (int i = 0; i < blocks.Count; i++)
        {
            h = h.AddScaled(blocks[i].forward(h), residual);
            probe?.Invoke($"block.{i + 1}", h);
        }
        probe?.Invoke("blocks", h);
        var logits = output.forward(h);
        probe?.Invoke("output", logits);
        return logits;
    }
}
