using static ScaleSweep.Abstractions.Parameterizations.BuiltInTables;

namespace ScaleSweep.Abstractions.Parameterizations;

/// <summary>
/// Depth-wise transfer (docs/parameterizations.md): μP in width plus a residual branch multiplier m_L^-α and the
/// block LR / ε factors that keep each block's update Θ(1/L). Role granularity: only the <c>hidden</c> role
/// is a block weight; <c>bias</c> also covers the input layer's bias, so block biases keep μP's rules.
/// </summary>
public static class DepthTables
{
    /// <summary>
    /// Depth-μP (Tensor Programs VI, α = 1/2): residual x + m_L^-1/2·f(x); Adam LR of block (hidden) weights
    /// ÷ √m_L; SGD LR of block weights has no depth factor; everything else as μP.
    /// </summary>
    public static ParameterizationTable DepthMup { get; } =
        WithRole(Mup, ParameterRoles.Hidden, hidden => hidden with { Adam = hidden.Adam with { Lr = new(1, N: -1, L: -0.5) } })
        with { Name = "depth-mup", Residual = new(1, L: -0.5) };

    /// <summary>
    /// CompleteP (α = 1, pre-LN transformer, AdamW): residual x + m_L^-1·f(x); hidden init σ²/m_N and Adam LR
    /// η/m_N (the depth factor m_L^(α−1) is 1 at α = 1); LN gains and biases LR η·m_L^(α−1) = η (μP's);
    /// hidden weight decay λ·m_N; AdamW ε of hidden weights ε·m_N^-1·m_L^-1; unembedding forward 1/m_N.
    /// SGD (derived, not from the paper: a block's update through the m_L^-1 branch is η·m_L^-2, so Θ(1/L)
    /// needs η·m_L): hidden SGD LR η·m_L.
    /// </summary>
    public static ParameterizationTable CompleteP { get; } =
        WithRole(Mup, ParameterRoles.Hidden, hidden => hidden with
        {
            Adam = hidden.Adam with { Eps = new(1, N: -1, L: -1) },
            Sgd = hidden.Sgd with { Lr = new(1, L: 1) },
        })
        with { Name = "completep", Residual = new(1, L: -1) };
}
