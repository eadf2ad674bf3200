namespace ScaleSweep.Theory.MeanField;

/// <summary>
/// Fixed-point quantities of one (activation, σ_w², σ_b², ρ) network. Divergent depth scales are
/// <see cref="double.PositiveInfinity"/>. When the length map has no finite fixed point
/// (<see cref="QStar"/> = +∞) the correlation fixed point is undefined and <see cref="CStar"/> is NaN.
/// </summary>
/// <param name="Chi1">χ₁ = σ_w² ∫Dz φ′(√q* z)²: &lt; 1 ordered, &gt; 1 chaotic (the limit q → ∞ when q* = ∞).</param>
/// <param name="XiQ">ξ_q, layers over which the length converges to q*.</param>
/// <param name="XiC">ξ_c, layers over which correlations converge to c*; trainable depth is about 6 ξ_c.</param>
public sealed record SignalPropagationPoint(
    double SigmaW2,
    double QStar,
    double CStar,
    double Chi1,
    double XiQ,
    double XiC);
