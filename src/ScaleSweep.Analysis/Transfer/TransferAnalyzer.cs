using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Numerics;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>The transfer verdicts plus what the plots and the report need: the loss landscapes and the warnings.</summary>
public sealed record TransferAnalysis(
    TransferReport Report,
    ImmutableArray<LossLandscape> Landscapes,
    ImmutableArray<string> Warnings);

/// <summary>
/// Does the optimal learning rate transfer along a scale axis? Per parameterization: mean loss over seeds per
/// (scale, LR), η* per scale (<see cref="OptimumEstimator"/>) with a seed-bootstrap interval, then the drift of
/// log2 η* against log2 scale. Pure computation: no files, no plots.
/// </summary>
public static class TransferAnalyzer
{
    public static TransferAnalysis Analyze(IReadOnlyList<TrialResult> trials, TransferSettings settings, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= TransferOptions.Default;
        if (!double.IsFinite(settings.ToleranceLog2) || settings.ToleranceLog2 < 0)
            throw new ArgumentException($"tolerance_log2 must be a finite number ≥ 0, got {settings.ToleranceLog2}", nameof(settings));
        if (trials.Count > 0 && !trials.Any(t => ScaleAxis.ValueOf(t, settings.Axis) is not null))
            throw new ArgumentException($"no trial has a value for the scale axis '{settings.Axis}'", nameof(settings));

        var warnings = ImmutableArray.CreateBuilder<string>();
        var landscapes = trials.Select(t => t.Parameterization).Distinct().Order(StringComparer.Ordinal)
            .Select(p => LossLandscape.Build(p, trials, settings.Axis))
            .ToImmutableArray();
        var results = ImmutableArray.CreateBuilder<TransferResult>();
        foreach (var landscape in landscapes)
        {
            warnings.AddRange(landscape.Warnings);
            if (landscape.Scales.IsEmpty) continue;
            results.Add(Verdict(landscape, settings.ToleranceLog2, options, warnings));
        }
        return new TransferAnalysis(new TransferReport(results.ToImmutable()), landscapes, warnings.ToImmutable());
    }

    private static TransferResult Verdict(LossLandscape landscape, double tolerance, TransferOptions options, ImmutableArray<string>.Builder warnings)
    {
        var (p, axis) = (landscape.Parameterization, landscape.Axis);
        var points = ImmutableArray.CreateBuilder<TransferPoint>();
        foreach (var grid in landscape.Scales)
        {
            var scale = grid.Scale.ToString("G", CultureInfo.InvariantCulture);
            if (OptimumEstimator.Estimate(grid.Cells()) is not { } optimum)
            {
                warnings.Add($"{p}: at {axis} = {scale} every trial diverged or failed; this scale is left out");
                continue;
            }
            var seed = SeedBootstrap.StableSeed(options.BootstrapSeed, p, axis, scale);
            var (low, high) = SeedBootstrap.Interval(grid, options, seed) ?? (optimum.Log2LrOpt, optimum.Log2LrOpt);
            if (optimum.AtGridEdge)
                warnings.Add($"{p}: at {axis} = {scale} the best learning rate 2^{optimum.Log2LrGridMin.ToString("G4", CultureInfo.InvariantCulture)} is on the edge of the grid: grid too narrow, η* may lie outside it");
            points.Add(new TransferPoint(grid.Scale, optimum.Log2LrGridMin, optimum.Log2LrOpt, low, high, optimum.Loss, optimum.AtGridEdge));
        }

        var pts = points.ToImmutable();
        var opts = pts.Select(x => x.Log2LrOpt).ToArray();
        var spread = opts.Length > 0 ? opts.Max() - opts.Min() : 0;
        double? slope = null;
        if (pts.Length < 2)
            warnings.Add($"{p}: fewer than two {axis} values with results; no transfer verdict");
        else if (pts.Any(x => x.Scale <= 0))
            warnings.Add($"{p}: {axis} has values ≤ 0; no slope against log2 {axis}");
        else
            slope = LeastSquares.Slope([.. pts.Select(x => Math.Log2(x.Scale))], opts);
        var enough = pts.Length >= 2;
        var monotonic = enough && pts.Zip(pts.Skip(1)).All(pair => pair.Second.Loss < pair.First.Loss);
        return new TransferResult(p, axis, pts, slope, spread, tolerance, enough && spread <= tolerance, monotonic);
    }
}
