using System.Collections.Immutable;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>Mean loss over seeds at one learning rate of one scale; <see cref="Penalized"/> counts diverged/failed seeds.</summary>
public sealed record LossCell(double Log2Lr, double MeanLoss, int Seeds, int Penalized);

/// <summary>
/// The losses at one scale as a seeds × learning-rates table (NaN where a seed has no trial at that rate).
/// Diverged and failed trials already hold the penalty loss; <c>penalized</c> remembers which.
/// </summary>
public sealed class SeedLossGrid
{
    private readonly double[,] _loss;
    private readonly bool[,] _penalized;

    public SeedLossGrid(double scale, ImmutableArray<double> log2Lrs, ImmutableArray<int> seeds, double[,] loss, bool[,] penalized)
    {
        if (loss.GetLength(0) != seeds.Length || loss.GetLength(1) != log2Lrs.Length) throw new ArgumentException("loss table shape does not match seeds × rates");
        Scale = scale;
        Log2Lrs = log2Lrs;
        Seeds = seeds;
        _loss = (double[,])loss.Clone();
        _penalized = (bool[,])penalized.Clone();
    }

    public double Scale { get; }

    /// <summary>The learning-rate grid at this scale, ascending.</summary>
    public ImmutableArray<double> Log2Lrs { get; }

    public ImmutableArray<int> Seeds { get; }

    /// <summary>Cell means over all seeds.</summary>
    public ImmutableArray<LossCell> Cells() => CellsFor(Enumerable.Range(0, Seeds.Length).ToArray());

    /// <summary>
    /// Cell means over the given seed rows (repeats allowed: a bootstrap resample). A rate that none of the rows
    /// has is left out.
    /// </summary>
    public ImmutableArray<LossCell> CellsFor(IReadOnlyList<int> seedRows)
    {
        var cells = ImmutableArray.CreateBuilder<LossCell>(Log2Lrs.Length);
        for (var j = 0; j < Log2Lrs.Length; j++)
        {
            double sum = 0;
            int n = 0, penalized = 0;
            foreach (var i in seedRows)
            {
                if (double.IsNaN(_loss[i, j])) continue;
                sum += _loss[i, j];
                n++;
                if (_penalized[i, j]) penalized++;
            }
            if (n > 0) cells.Add(new LossCell(Log2Lrs[j], sum / n, n, penalized));
        }
        return cells.ToImmutable();
    }
}
