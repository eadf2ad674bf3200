namespace ScaleSweep.Theory.MeanField;

/// <summary>Mean-field statistics of layer l's preactivations for a pair of inputs of equal length.</summary>
/// <param name="Layer">0 for the given starting statistics, then 1, 2, ...</param>
/// <param name="Q">q^l, the mean squared preactivation of each input.</param>
/// <param name="C">c^l, the correlation between the two inputs' preactivations.</param>
public sealed record LayerStatistics(int Layer, double Q, double C);

/// <summary>
/// Iterates the length and correlation maps layer by layer, the mean-field prediction to hold against a
/// real network's preactivation statistics h^l (layer 0 is the first layer's preactivations, whose
/// statistics the caller supplies).
/// </summary>
public static class LayerwisePropagation
{
    /// <returns><paramref name="depth"/> + 1 entries: layer 0 (q⁰, c⁰) through layer <paramref name="depth"/>.</returns>
    public static IReadOnlyList<LayerStatistics> Propagate(RandomNetwork network, double q0, double c0, int depth)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!double.IsFinite(q0) || q0 < 0) throw new ArgumentOutOfRangeException(nameof(q0), q0, "q⁰ must be non-negative and finite.");
        if (!(c0 >= -1 && c0 <= 1)) throw new ArgumentOutOfRangeException(nameof(c0), c0, "c⁰ must be in [−1, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(depth);

        var layers = new LayerStatistics[depth + 1];
        layers[0] = new LayerStatistics(0, q0, c0);
        var q = q0;
        var gap = 1.0 - c0;
        for (var l = 1; l <= depth; l++)
        {
            // Both maps read the previous layer's q, so the gap is computed before q moves on.
            gap = CorrelationMap.NextGap(network, q, gap);
            q = LengthMap.Next(network, q);
            layers[l] = new LayerStatistics(l, q, 1.0 - gap);
        }
        return layers;
    }

    /// <summary>
    /// The predicted backward growth ‖δ^l‖²/‖δ^(l+1)‖² for l = 0 … depth − 1 of <paramref name="layers"/> (as
    /// <see cref="Propagate"/> returns them): χ₁ at the layer's own q^l, which includes the transient from q⁰, over ρ
    /// with dropout (<see cref="FixedPointAnalysis.GradientGrowthPerLayer"/> is the same at the fixed point).
    /// </summary>
    public static IReadOnlyList<double> GradientRatios(RandomNetwork network, IReadOnlyList<LayerStatistics> layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        return layers.Take(layers.Count - 1).Select(layer => FixedPointAnalysis.Chi1(network, layer.Q) / network.DropoutKeep).ToArray();
    }
}
