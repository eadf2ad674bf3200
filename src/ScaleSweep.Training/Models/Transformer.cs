using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// Decoder-only pre-LN Transformer language model over bytes (<c>transformer</c>; <c>moe</c> when the
/// position-wise layers are mixtures of experts): token + learned positional embedding (input role) →
/// <c>depth</c> blocks → final LN → unembedding (output role). Input int64 [batch, positions ≤ context],
/// logits [batch, positions, vocabulary]. Probe names: input, block.1 … block.L, blocks, output.
/// </summary>
public sealed class Transformer : ScalableModel
{
    private readonly ScaledEmbedding tokens, positions;
    private readonly ModuleList<TransformerBlock> blocks = new();
    private readonly ScaledLayerNorm finalNorm;
    private readonly ScaledLinear unembedding;
    private readonly int context;

    public Transformer(string kind, TransformerSettings s, long vocabulary, long classes,
        Func<string, PositionwiseLayer> positionwise, Parameterization parameterization, Generator generator) : base(kind)
    {
        context = s.Context;
        tokens = new ScaledEmbedding("embedding", vocabulary, s.Width, parameterization, generator);
        positions = new ScaledEmbedding("position", s.Context, s.Width, parameterization, generator);
        for (int i = 1; i <= s.Depth; i++)
            blocks.Add(new TransformerBlock($"block.{i}", s, positionwise($"block.{i}.ffn"), parameterization, generator));
        finalNorm = new ScaledLayerNorm("final_norm", s.Width, s.BaseWidth, parameterization, generator);
        unembedding = new ScaledLinear("output", s.Width, classes, s.BaseWidth, ParameterRoles.Output, s.Bias, parameterization, generator);
        ScaledParameters = new[] { tokens.ScaledParameter, positions.ScaledParameter }
            .Concat(blocks.SelectMany(b => b.ScaledParameters))
            .Concat(finalNorm.ScaledParameters).Concat(unembedding.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor Forward(Tensor input, ActivationProbe? probe) => Run(input, probe, null);

    public override (Tensor Logits, Tensor? Auxiliary) ForwardForTraining(Tensor input, ActivationProbe? probe)
    {
        var auxiliary = new List<Tensor>();
        var logits = Run(input, probe, auxiliary);
        return (logits, auxiliary.Count == 0 ? null : auxiliary.Aggregate((a, b) => a.Plus(b)));
    }

    private Tensor Run(Tensor input, ActivationProbe? probe, ICollection<Tensor>? auxiliary)
    {
        var length = input.shape[1];
        if (length > context) throw new ArgumentException($"sequence of {length} tokens exceeds the context {context}");
        var h = tokens.forward(input).Plus(positions.forward(arange(length, dtype: ScalarType.Int64)));
        probe?.Invoke("input", h);
        for (int i = 0; i < blocks.Count; i++)
        {
            h = blocks[i].Forward(h, auxiliary);
            probe?.Invoke($"block.{i + 1}", h);
        }
        probe?.Invoke("blocks", h);
        var logits = unembedding.forward(finalNorm.forward(h));
        probe?.Invoke("output", logits);
        return logits;
    }
}
