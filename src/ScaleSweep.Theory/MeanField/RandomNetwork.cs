using ScaleSweep.Theory.Activations;

namespace ScaleSweep.Theory.MeanField;

/// <summary>
/// A deep fully connected network at initialization in the mean-field limit: W ~ N(0, σ_w²/N), b ~ N(0, σ_b²),
/// optionally with dropout (keep rate ρ, surviving units scaled by 1/ρ) on every layer's input.
/// </summary>
/// <param name="SigmaW2">σ_w², weight variance times fan-in; &gt; 0.</param>
/// <param name="SigmaB2">σ_b², bias variance; ≥ 0.</param>
/// <param name="DropoutKeep">ρ in (0, 1]; 1 means no dropout.</param>
public sealed record RandomNetwork
{
    public RandomNetwork(Activation activation, double sigmaW2, double sigmaB2, double dropoutKeep = 1.0)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!double.IsFinite(sigmaW2) || sigmaW2 <= 0)
            throw new ArgumentOutOfRangeException(nameof(sigmaW2), sigmaW2, "σ_w² must be positive and finite.");
        if (!double.IsFinite(sigmaB2) || sigmaB2 < 0)
            throw new ArgumentOutOfRangeException(nameof(sigmaB2), sigmaB2, "σ_b² must be non-negative and finite.");
        if (!(dropoutKeep > 0 && dropoutKeep <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropoutKeep), dropoutKeep, "the dropout keep rate must be in (0, 1].");
        Activation = activation;
        SigmaW2 = sigmaW2;
        SigmaB2 = sigmaB2;
        DropoutKeep = dropoutKeep;
    }

    public Activation Activation { get; }
    public double SigmaW2 { get; }
    public double SigmaB2 { get; }
    public double DropoutKeep { get; }

    public bool HasDropout => DropoutKeep < 1.0;

    /// <summary>σ_w²/ρ: dropout's 1/ρ rescaling inflates each unit's own second moment (the length map) only.</summary>
    public double LengthMapWeightVariance => SigmaW2 / DropoutKeep;
}
