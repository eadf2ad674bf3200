using ScaleSweep.Theory.Activations;

namespace ScaleSweep.Theory.MeanField;

/// <summary>
/// ξ_c over a σ_w² × σ_b² grid with the edge of chaos per σ_b² row: the figure of Deep Information Propagation.
/// </summary>
/// <param name="XiC">XiC[row, column] for σ_b² = SigmaB2[row], σ_w² = SigmaW2[column]; +∞ where divergent.</param>
/// <param name="CriticalSigmaW2">Per σ_b² row; NaN where χ₁ = 1 has no root in the search range.</param>
public sealed record PhaseDiagram(
    Activation Activation,
    double DropoutKeep,
    IReadOnlyList<double> SigmaW2,
    IReadOnlyList<double> SigmaB2,
    double[,] XiC,
    IReadOnlyList<double> CriticalSigmaW2)
{
    public static PhaseDiagram Compute(
        Activation activation,
        IReadOnlyList<double> sigmaW2,
        IReadOnlyList<double> sigmaB2,
        double dropoutKeep = 1.0,
        CancellationToken cancellationToken = default)
    {
        var xiC = new double[sigmaB2.Count, sigmaW2.Count];
        var critical = new double[sigmaB2.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        // Rows are independent and cost about the same; one row per work item.
        Parallel.For(0, sigmaB2.Count, options, row =>
        {
            critical[row] = EdgeOfChaos.CriticalSigmaW2(activation, sigmaB2[row]) ?? double.NaN;
            for (var column = 0; column < sigmaW2.Count; column++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var network = new RandomNetwork(activation, sigmaW2[column], sigmaB2[row], dropoutKeep);
                xiC[row, column] = FixedPointAnalysis.Analyze(network).XiC;
            }
        });
        return new PhaseDiagram(activation, dropoutKeep, sigmaW2.ToArray(), sigmaB2.ToArray(), xiC, critical);
    }
}
