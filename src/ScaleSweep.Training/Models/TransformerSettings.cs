using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Training.Models;

/// <summary>
/// A Transformer / MoE configuration with the defaults resolved (a 0 in ModelConfig means "default"):
/// heads 4, context 64, FFN ratio 4; MoE: 4 experts, expert width = width, top-K = min(2, experts).
/// </summary>
public sealed record TransformerSettings(int Width, int BaseWidth, int Depth, int Heads, int Context, double FfnRatio,
    int Experts, int ExpertWidth, int TopK, string Aggregation, double LoadBalance, string Activation, bool Bias)
{
    public const int DefaultHeads = 4;
    public const int DefaultContext = 64;
    public const double DefaultFfnRatio = 4;
    public const int DefaultExperts = 4;

    public int HeadWidth => Width / Heads;

    /// <summary>d_head of the base model (base width / heads; the head count does not scale).</summary>
    public double BaseHeadWidth => (double)BaseWidth / Heads;

    public int FfnWidth => (int)Math.Round(FfnRatio * Width);

    public int BaseFfnWidth => (int)Math.Round(FfnRatio * BaseWidth);

    /// <summary>
    /// Base expert width: the expert width is read as co-scaling with the model width (MSSP regime I), so its
    /// base is N_e·N_0/N and m_N is also the expert-width multiplier. With this base, μP's hidden init
    /// (base_fan_in^-1/2·m_N^-1/2) is exactly 1/√N_e whatever N_e is.
    /// </summary>
    public long BaseExpertWidth => Math.Max(1, (long)Math.Round((double)ExpertWidth * BaseWidth / Width));

    public static int ContextOf(ModelConfig model) => model.Context > 0 ? model.Context : DefaultContext;

    public static TransformerSettings From(ModelConfig model, BaseShape baseShape)
    {
        var heads = model.Heads > 0 ? model.Heads : DefaultHeads;
        if (model.Width % heads != 0) throw new ArgumentException($"width {model.Width} is not a multiple of the head count {heads}");
        if (model.Depth < 1) throw new ArgumentException("a Transformer needs at least one block");
        var experts = model.Experts > 0 ? model.Experts : DefaultExperts;
        var topK = model.TopK > 0 ? model.TopK : Math.Min(2, experts);
        if (topK > experts) throw new ArgumentException($"top_k {topK} exceeds the {experts} experts");
        MixtureAggregation.Get(model.Aggregation);
        return new TransformerSettings(model.Width, baseShape.Width, model.Depth, heads, ContextOf(model),
            model.FfnRatio > 0 ? model.FfnRatio : DefaultFfnRatio, experts,
            model.ExpertWidth > 0 ? model.ExpertWidth : model.Width, topK, model.Aggregation, model.LoadBalance,
            model.Activation, model.Bias);
    }
}
