using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Models;

/// <summary>
/// M experts (width → N_e → width, role <c>expert</c>) behind a top-K router (role <c>router</c>: width → M
/// logits, softmax over the K largest). Output = aggregation · Σ_k g_k·E_k(x), where aggregation is 1 (sum) or
/// 1/K (mean) from the model setting times the table's ExpertAggregation. Optional Switch-style load-balancing
/// loss M·Σ_i f_i·P_i (f_i: share of the token-slots routed to expert i, P_i: mean router probability).
/// Dense compute: every expert runs on every token and the gates zero out the inactive ones. It is exact, and
/// costs M/K times the sparse FLOPs — fine for the small CPU models this runs.
/// </summary>
public sealed class MixtureOfExperts : PositionwiseLayer
{
    private readonly ScaledLinear router;
    private readonly ScaledWeight up, down;
    private readonly ScaledWeight? upBias, downBias;
    private readonly Func<Tensor, Tensor> activation;
    private readonly int topK;
    private readonly int experts;
    private readonly double aggregation;
    private readonly double loadBalance;

    public MixtureOfExperts(string name, TransformerSettings s, Parameterization parameterization, Generator generator) : base(name)
    {
        experts = s.Experts;
        topK = s.TopK;
        router = new ScaledLinear($"{name}.router", s.Width, experts, s.BaseWidth, ParameterRoles.Router, false, parameterization, generator);
        var upShape = new ParameterShape(ParameterRoles.Expert, s.Width, s.BaseWidth);
        var downShape = new ParameterShape(ParameterRoles.Expert, s.ExpertWidth, s.BaseExpertWidth);
        up = new ScaledWeight($"{name}.up.weight", [experts, s.Width, s.ExpertWidth], upShape, parameterization, generator);
        down = new ScaledWeight($"{name}.down.weight", [experts, s.ExpertWidth, s.Width], downShape, parameterization, generator);
        if (s.Bias)
        {
            upBias = new ScaledWeight($"{name}.up.bias", [experts, 1, s.ExpertWidth], upShape with { Role = ParameterRoles.Bias }, parameterization, generator);
            downBias = new ScaledWeight($"{name}.down.bias", [experts, 1, s.Width], downShape with { Role = ParameterRoles.Bias }, parameterization, generator);
        }
        activation = Activations.Get(s.Activation);
        aggregation = (MixtureAggregation.Get(s.Aggregation).Mean ? 1.0 / topK : 1.0) * parameterization.ExpertAggregation(topK);
        loadBalance = s.LoadBalance;
        ScaledParameters = router.ScaledParameters
            .Concat(new[] { up, upBias, down, downBias }.OfType<ScaledWeight>().Select(w => w.Scaled)).ToArray();
        RegisterComponents();
    }

    public override IReadOnlyList<ScaledParameter> ScaledParameters { get; }

    public override Tensor Forward(Tensor x, ICollection<Tensor>? auxiliaryLosses)
    {
        var tokens = x.reshape(-1, x.shape[^1]);                                   // [N, W]
        var logits = router.forward(tokens);                                       // [N, M]
        var (top, chosen) = logits.topk(topK);
        var gates = zeros_like(logits).scatter(1, chosen, top.softmax(-1));        // [N, M], zero off the top-K

        var hidden = up.Scale(tokens.matmul(up.Value));                            // [M, N, N_e]
        if (upBias is not null) hidden = hidden.Plus(upBias.Scale(upBias.Value));
        var outputs = down.Scale(activation(hidden).matmul(down.Value));           // [M, N, W]
        if (downBias is not null) outputs = outputs.Plus(downBias.Scale(downBias.Value));
        var combined = outputs.mul(gates.t().unsqueeze(-1)).sum(0L, false);             // [N, W]
        if (aggregation != 1) combined = combined.MulBy(aggregation);

        if (auxiliaryLosses is not null && loadBalance > 0)
        {
            var routed = zeros_like(logits).scatter(1, chosen, ones_like(top)).mean([0]).DivBy(topK);
            var probability = logits.softmax(-1).mean([0]);
            auxiliaryLosses.Add(routed.mul(probability).sum().MulBy(loadBalance * experts));
        }
        return combined.view(x.shape);
    }
}
