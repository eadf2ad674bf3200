using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// Causal multi-head self-attention with Q, K, V, O of role <c>hidden</c>. The logit scale comes from the table
/// (AttentionScale at fan-in d_head: SP 1/√d, μP 1/d); the query (weight and bias) starts at zero when the
/// table says so, making every logit 0 and the attention uniform over the causal prefix at init.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly ScaledLinear query, key, value, projection;
    private readonly int heads;
    private readonly double queryScale;

    public CausalSelfAttention(string name, TransformerSettings s, Parameterization parameterization, Generator generator) : base(name)
    {
        ScaledLinear Linear(string part, bool zero = false) =>
            new($"{name}.{part}", s.Width, s.Width, s.BaseWidth, ParameterRoles.Hidden, s.Bias, parameterization, generator, zero);
        query = Linear("q", parameterization.Table.ZeroQuery);
        key = Linear("k");
        value = Linear("v");
        projection = Linear("o");
        heads = s.Heads;
        // The fused kernel divides the logits by √d_head; pre-scaling the query makes the net scale the table's.
        queryScale = parameterization.AttentionScale(s.HeadWidth, s.BaseHeadWidth) * Math.Sqrt(s.HeadWidth);
        ScaledParameters = new[] { query, key, value, projection }.SelectMany(l => l.ScaledParameters).ToArray();
        RegisterComponents();
    }

    public IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    /// <summary>x [batch, positions, width] → [batch, positions, width].</summary>
    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], w = x.shape[2];
        Tensor Heads(Tensor y) => y.view(b, t, heads, w / heads).transpose(1, 2);
        var q = Heads(query.forward(x));
        if (queryScale != 1) q = q.MulBy(queryScale);
        var attended = nn.functional.scaled_dot_product_attention(q, Heads(key.forward(x)), Heads(value.forward(x)), is_casual: true);
        return projection.forward(attended.transpose(1, 2).reshape(b, t, w));
    }
}
