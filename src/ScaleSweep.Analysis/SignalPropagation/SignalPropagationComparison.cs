namespace ScaleSweep.Analysis.SignalPropagation;

/// <summary>q^l and c^l of one layer; standard errors over networks for a measurement, 0 for the theory.</summary>
public sealed record SignalLayer(double Q, double C, double QError = 0, double CError = 0);

/// <summary>
/// One side of the comparison: layers 0 … depth, and the gradient ratios ‖δ^l‖²/‖δ^(l+1)‖² for l = 0 … depth − 1.
/// </summary>
public sealed record SignalProfile(IReadOnlyList<SignalLayer> Layers, IReadOnlyList<double> GradientRatios);

/// <summary>One layer, measured and theory side by side; the ratios are NaN where undefined (the last layer).</summary>
public sealed record SignalLayerComparison(
    int Index, double MeasuredQ, double QError, double TheoryQ, double MeasuredC, double CError, double TheoryC,
    double MeasuredGradientRatio, double TheoryGradientRatio);

/// <summary>
/// Real random networks against mean-field theory, layer by layer, and the summary figures: the worst relative error
/// of q, the worst absolute error of c, and the typical per-layer gradient growth of each side. Plain numbers in (the
/// caller measures with Training and predicts with Theory), so Analysis depends on neither.
/// </summary>
/// <param name="GradientGrowth">Geometric mean of the measured ratios ‖δ^l‖²/‖δ^(l+1)‖²; NaN with none positive.</param>
/// <param name="PredictedGradientGrowth">Geometric mean of the theory's ratios over the same layers.</param>
public sealed record SignalPropagationComparison(
    IReadOnlyList<SignalLayerComparison> Layers,
    double MaxQRelativeError,
    double MaxCAbsoluteError,
    double GradientGrowth,
    double PredictedGradientGrowth)
{
    public static SignalPropagationComparison Compare(SignalProfile measured, SignalProfile theory)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(theory);
        if (measured.Layers.Count == 0) throw new ArgumentException("no measured layers", nameof(measured));
        if (theory.Layers.Count != measured.Layers.Count)
            throw new ArgumentException($"theory has {theory.Layers.Count} layers, the measurement {measured.Layers.Count}", nameof(theory));

        static double Ratio(SignalProfile side, int layer) => layer < side.GradientRatios.Count ? side.GradientRatios[layer] : double.NaN;
        var rows = measured.Layers.Select((m, l) => new SignalLayerComparison(
            l, m.Q, m.QError, theory.Layers[l].Q, m.C, m.CError, theory.Layers[l].C, Ratio(measured, l), Ratio(theory, l))).ToArray();

        // Geometric means over layers: the typical per-layer factor, robust to one noisy layer.
        var ratios = rows.Where(r => double.IsFinite(r.MeasuredGradientRatio) && r.MeasuredGradientRatio > 0).ToArray();
        return new SignalPropagationComparison(
            rows,
            rows.Max(r => Math.Abs(r.MeasuredQ / r.TheoryQ - 1)),
            rows.Max(r => Math.Abs(r.MeasuredC - r.TheoryC)),
            ratios.Length == 0 ? double.NaN : Math.Exp(ratios.Average(r => Math.Log(r.MeasuredGradientRatio))),
            ratios.Length == 0 ? double.NaN : Math.Exp(ratios.Average(r => Math.Log(r.TheoryGradientRatio))));
    }
}
