namespace ScaleSweep.Analysis.Trainability;

/// <summary>One trained network: its σ_w², depth and final eval accuracy (diverged: chance).</summary>
public sealed record TrainabilityRow(double SigmaW2, int Depth, double Accuracy);

/// <summary>
/// One (σ_w², depth) cell. <paramref name="XiC"/> is +∞ at the edge of chaos (every depth predicted trainable).
/// <paramref name="PredictedTrainable"/>: depth ≤ multiple·ξ_c; <paramref name="Trainable"/>: accuracy ≥ threshold.
/// </summary>
public sealed record TrainabilityCell(
    double SigmaW2, int Depth, double Accuracy, double XiC, bool PredictedTrainable, bool Trainable, int Trials)
{
    public bool Agrees => PredictedTrainable == Trainable;
}

/// <param name="Chance">Accuracy of guessing (0.1 for ten classes).</param>
/// <param name="Threshold">Trainable means accuracy ≥ this; null = halfway between chance and the best cell.</param>
/// <param name="DepthScaleMultiple">Predicted trainable when depth ≤ this × ξ_c (Schoenholz et al.: about 6).</param>
public sealed record TrainabilityOptions(double Chance = 0.1, double? Threshold = null, double DepthScaleMultiple = 6);

/// <summary>The cells in (σ_w², depth) order and the fraction of them on the side the theory predicts.</summary>
public sealed record TrainabilityReport(
    IReadOnlyList<TrainabilityCell> Cells, double Threshold, double Chance, double BestAccuracy, double DepthScaleMultiple)
{
    /// <summary>Fraction of cells whose measured trainability matches depth ≤ multiple·ξ_c (NaN with no cells).</summary>
    public double Agreement => Cells.Count == 0 ? double.NaN : (double)Cells.Count(c => c.Agrees) / Cells.Count;

    public IReadOnlyList<double> SigmaW2Values => Cells.Select(c => c.SigmaW2).Distinct().Order().ToArray();

    public IReadOnlyList<int> DepthValues => Cells.Select(c => c.Depth).Distinct().Order().ToArray();
}

/// <summary>
/// The headline test of Deep Information Propagation: a network trains when depth ≲ 6 ξ_c. Plain numbers in
/// (the caller computes ξ_c with the theory library), so Analysis stays independent of it.
/// </summary>
public static class TrainabilityAnalysis
{
    /// <param name="xiC">ξ_c as a function of σ_w², called once for every σ_w² that occurs in <paramref name="rows"/>.</param>
    public static TrainabilityReport Analyze(
        IReadOnlyList<TrainabilityRow> rows, Func<double, double> xiC, TrainabilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(xiC);
        return Analyze(rows, rows.Select(r => r.SigmaW2).Distinct().ToDictionary(w => w, xiC), options);
    }

    /// <param name="xiC">ξ_c for every σ_w² that occurs in <paramref name="rows"/>.</param>
    public static TrainabilityReport Analyze(
        IEnumerable<TrainabilityRow> rows, IReadOnlyDictionary<double, double> xiC, TrainabilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(xiC);
        options ??= new TrainabilityOptions();
        // Seeds (repeated rows of a cell) are averaged: the cell is the unit the prediction is about.
        var grouped = rows
            .GroupBy(r => (r.SigmaW2, r.Depth))
            .OrderBy(g => g.Key.SigmaW2).ThenBy(g => g.Key.Depth)
            .Select(g => (g.Key.SigmaW2, g.Key.Depth, Accuracy: g.Average(r => r.Accuracy), Trials: g.Count()))
            .ToArray();
        var best = grouped.Length == 0 ? double.NaN : grouped.Max(g => g.Accuracy);
        var threshold = options.Threshold ?? 0.5 * (options.Chance + best);

        var cells = grouped.Select(g =>
        {
            if (!xiC.TryGetValue(g.SigmaW2, out var xi))
                throw new ArgumentException($"no ξ_c given for σ_w² = {g.SigmaW2}", nameof(xiC));
            var predicted = double.IsPositiveInfinity(xi) || g.Depth <= options.DepthScaleMultiple * xi;
            return new TrainabilityCell(g.SigmaW2, g.Depth, g.Accuracy, xi, predicted, g.Accuracy >= threshold, g.Trials);
        }).ToArray();
        return new TrainabilityReport(cells, threshold, options.Chance, best, options.DepthScaleMultiple);
    }
}
