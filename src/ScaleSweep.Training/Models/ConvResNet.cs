using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// A small convolutional ResNet (<c>conv-resnet</c>) for square single-channel images given as flat features
/// (Fashion-MNIST's 784 = 28×28; the synthetic set's 64 = 8×8). channels = width. Stem: 3×3 conv, stride 2
/// (input role, fan-in 9) — halving the resolution keeps CPU trials cheap; then <c>depth</c> residual blocks
/// x + r·f(x) with f = block_depth pre-activation 3×3 convs (hidden role, fan-in 9·channels), global average
/// pool, readout (output role). No normalisation in the conv blocks (model.layer_norm applies to the MLP
/// ResNet only). Probe names: input (stem), block.1 … block.L, blocks, output.
/// </summary>
public sealed class ConvResNet : ScalableModel
{
    private const int Kernel = 3;
    private readonly ScaledConv2d stem;
    private readonly ModuleList<ScaledConv2d> convs = new();
    private readonly ScaledLinear output;
    private readonly Func<Tensor, Tensor> activation;
    private readonly double residual;
    private readonly int side;
    private readonly int blockDepth;

    public ConvResNet(ModelConfig model, BaseShape baseShape, long inputs, long classes, Parameterization parameterization,
        Generator generator) : base("conv-resnet")
    {
        side = (int)Math.Round(Math.Sqrt(inputs));
        if ((long)side * side != inputs) throw new ArgumentException($"conv-resnet needs square single-channel images; {inputs} features are not n×n");
        if (model.Depth < 1 || model.BlockDepth < 1) throw new ArgumentOutOfRangeException(nameof(model), "conv-resnet needs depth and block_depth ≥ 1");
        activation = Activations.Get(model.Activation);
        blockDepth = model.BlockDepth;
        stem = new ScaledConv2d("input", 1, model.Width, 1, Kernel, 2, ParameterRoles.Input, model.Bias, parameterization, generator);
        for (int i = 1; i <= model.Depth; i++)
            for (int j = 1; j <= blockDepth; j++)
                convs.Add(new ScaledConv2d($"block.{i}.conv.{j}", model.Width, model.Width, baseShape.Width, Kernel, 1,
                    ParameterRoles.Hidden, model.Bias, parameterization, generator));
        output = new ScaledLinear("output", model.Width, classes, baseShape.Width, ParameterRoles.Output, model.Bias, parameterization, generator);
        residual = parameterization.ResidualMultiplier;
        ScaledParameters = stem.ScaledParameters.Concat(convs.SelectMany(c => c.ScaledParameters)).Concat(output.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor Forward(Tensor x, ActivationProbe? probe)
    {
        var h = stem.forward(x.view(-1, 1, side, side));
        probe?.Invoke("input", h);
        int blocks = convs.Count / blockDepth;
        for (int i = 0; i < blocks; i++)
        {
            var f = h;
            for (int j = 0; j < blockDepth; j++) f = convs[i * blockDepth + j].forward(activation(f));
            h = h.AddScaled(f, residual);
            probe?.Invoke($"block.{i + 1}", h);
        }
        probe?.Invoke("blocks", h);
        var logits = output.forward(h.mean([2, 3]));
        probe?.Invoke("output", logits);
        return logits;
    }
}
