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
    ImmutableArray<string> Warnings)
{
    /// <summary>The fitted law of each parameterization that has one, with its bootstrap band (for the plot).</summary>
    public ImmutableArray<FittedLaw> Laws { get; init; } = [];
}

/// <summary>
/// Does the optimal learning rate transfer along a scale axis, and what is it at the target scale? Per
/// parameterization: mean loss over seeds per (scale, LR), η* per scale (<see cref="OptimumEstimator"/>) with a
/// seed-bootstrap interval and its basin, then the law of log2 η* against log2 scale (<see cref="OptimumLaw"/>), the
/// transfer penalty and spread with a whole-procedure bootstrap (<see cref="ProcedureBootstrap"/>), and the verdict
/// (<see cref="TransferDecision"/>). Pure computation: no files, no plots.
/// </summary>
public static class TransferAnalyzer
{
    public static TransferAnalysis Analyze(IReadOnlyList<TrialResult> trials, TransferSettings settings, TransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= TransferOptions.Default;
        if (!double.IsFinite(settings.ToleranceLog2) || settings.ToleranceLog2 < 0)
            throw new ArgumentException($"tolerance_log2 must be a finite number ≥ 0, got {settings.ToleranceLog2}", nameof(settings));
        if (settings.ToleranceLoss is { } loss && !(double.IsFinite(loss) && loss >= 0))
            throw new ArgumentException($"tolerance_loss must be a finite number ≥ 0, got {loss}", nameof(settings));
        if (settings.Target is { } target && !(double.IsFinite(target) && target > 0))
            throw new ArgumentException($"target must be a positive number, got {target}", nameof(settings));
        if (trials.Count > 0 && !trials.Any(t => ScaleAxis.ValueOf(t, settings.Axis) is not null))
            throw new ArgumentException($"no trial has a value for the scale axis '{settings.Axis}'", nameof(settings));

        var warnings = ImmutableArray.CreateBuilder<string>();
        var landscapes = trials.Select(t => t.Parameterization).Distinct().Order(StringComparer.Ordinal)
            .Select(p => LossLandscape.Build(p, trials, settings.Axis))
            .ToImmutableArray();
        var results = ImmutableArray.CreateBuilder<TransferResult>();
        var laws = ImmutableArray.CreateBuilder<FittedLaw>();
        foreach (var landscape in landscapes)
        {
            warnings.AddRange(landscape.Warnings);
            if (landscape.Scales.IsEmpty) continue;
            var (result, law) = Verdict(landscape, settings, options, warnings);
            results.Add(result);
            if (law is not null) laws.Add(law);
        }
        return new TransferAnalysis(new TransferReport(results.ToImmutable()), landscapes, warnings.ToImmutable()) { Laws = laws.ToImmutable() };
    }

    /// <summary>Points of the band drawn from the smallest scale to the target.</summary>
    private const int BandPoints = 25;

    private static (TransferResult Result, FittedLaw? Law) Verdict(LossLandscape landscape, TransferSettings settings, TransferOptions options, ImmutableArray<string>.Builder warnings)
    {
        var (p, axis) = (landscape.Parameterization, landscape.Axis);
        var points = ImmutableArray.CreateBuilder<TransferPoint>();
        var grids = new List<SeedLossGrid>();
        var curves = new List<ScaleCurve>();
        foreach (var grid in landscape.Scales)
        {
            var scale = Text(grid.Scale);
            var cells = grid.Cells();
            if (OptimumEstimator.Estimate(cells) is not { } optimum)
            {
                warnings.Add($"{p}: at {axis} = {scale} every trial diverged or failed; this scale is left out");
                continue;
            }
            var seed = SeedBootstrap.StableSeed(options.BootstrapSeed, p, axis, scale);
            var (low, high) = SeedBootstrap.Interval(grid, options, seed) ?? (optimum.Log2LrOpt, optimum.Log2LrOpt);
            if (optimum.AtGridEdge)
                warnings.Add($"{p}: at {axis} = {scale} the best learning rate 2^{optimum.Log2LrGridMin.ToString("G4", CultureInfo.InvariantCulture)} is on the edge of the grid: grid too narrow, η* may lie outside it");
            var (basinLow, basinHigh) = Basin.Of(cells, IndexOf(cells, optimum.Log2LrGridMin), options.BasinFraction);
            points.Add(new TransferPoint(grid.Scale, optimum.Log2LrGridMin, optimum.Log2LrOpt, low, high, optimum.Loss, optimum.AtGridEdge, basinLow, basinHigh));
            grids.Add(grid);
            curves.Add(new ScaleCurve(grid.Scale, cells, optimum));
        }

        var pts = points.ToImmutable();
        var opts = pts.Select(x => x.Log2LrOpt).ToArray();
        var spread = opts.Length > 0 ? opts.Max() - opts.Min() : 0;
        var logScale = pts.Length >= 2 && pts.All(x => x.Scale > 0);
        double? slope = null;
        if (pts.Length < 2)
            warnings.Add($"{p}: fewer than two {axis} values with results; no transfer verdict");
        else if (!logScale)
            warnings.Add($"{p}: {axis} has values ≤ 0; no slope against log2 {axis} and no prediction");
        else
            slope = LeastSquares.Slope([.. pts.Select(x => Math.Log2(x.Scale))], opts);
        var enough = pts.Length >= 2;
        var monotonic = enough && pts.Zip(pts.Skip(1)).All(pair => pair.Second.Loss < pair.First.Loss);

        var criterion = settings.ToleranceLoss is null ? TransferCriterion.Spread : TransferCriterion.Penalty;
        if (!enough)
        {
            return (new TransferResult(p, axis, pts, slope, spread, settings.ToleranceLog2, false, monotonic,
                TransferVerdict.Inconclusive.Name, criterion.Name, null, null, null, null, null, settings.ToleranceLoss, null, null, null), null);
        }

        var weights = pts.Select(x => OptimumLaw.Weight(x, options)).ToArray();
        var target = settings.Target ?? 2 * pts.Max(x => x.Scale);
        var replicates = ProcedureBootstrap.Run(grids, weights, logScale, options,
            SeedBootstrap.StableSeed(options.BootstrapSeed, p, axis, "procedure"));

        var penalty = TransferPenalty.Largest(curves);
        var (penaltyLow, penaltyHigh) = ProcedureBootstrap.Interval(replicates.Penalties, options) ?? (penalty, penalty);
        var (spreadLow, spreadHigh) = ProcedureBootstrap.Interval(replicates.Spreads, options) ?? (spread, spread);
        var seeds = grids.Min(g => g.Seeds.Length);
        var decision = criterion == TransferCriterion.Penalty
            ? TransferDecision.Decide(penalty, penaltyLow, penaltyHigh, settings.ToleranceLoss!.Value, seeds)
            : TransferDecision.Decide(spread, spreadLow, spreadHigh, settings.ToleranceLog2, seeds);

        TransferPrediction? prediction = null;
        TransferHoldout? holdout = null;
        FittedLaw? law = null;
        if (logScale && OptimumLaw.Fit(curves, weights) is { } line)
        {
            var log2Target = Math.Log2(target);
            var predicted = line.At(log2Target);
            var (low, high) = ProcedureBootstrap.Interval(replicates.Lines.Select(l => l.At(log2Target)), options) ?? (predicted, predicted);
            prediction = new TransferPrediction(target, predicted, low, high);
            var from = Math.Min(Math.Log2(pts[0].Scale), log2Target);
            law = new FittedLaw(p, line, OptimumLaw.Band(replicates.Lines, from, Math.Max(Math.Log2(pts[^1].Scale), log2Target), BandPoints, options));
            holdout = OptimumLaw.Holdout(curves, weights);
            if (holdout is not null && LossCurve.OffGrid(curves[^1].Cells, holdout.PredictedLog2Lr))
                warnings.Add($"{p}: the hold-out prediction for {axis} = {Text(holdout.Scale)} lies outside its learning-rate grid; its loss penalty is extrapolated");
        }
        if (curves.Any(c => LossCurve.OffGrid(c.Cells, pts[0].Log2LrOpt)))
            warnings.Add($"{p}: the smallest {axis}'s η* lies outside another {axis}'s learning-rate grid; the transfer penalty there is extrapolated");

        return (new TransferResult(p, axis, pts, slope, spread, settings.ToleranceLog2, decision.Verdict == TransferVerdict.Transfers, monotonic,
            decision.Verdict.Name, criterion.Name, spreadLow, spreadHigh, penalty, penaltyLow, penaltyHigh, settings.ToleranceLoss,
            decision.SeedsToSettle, prediction, holdout), law);
    }

    private static int IndexOf(IReadOnlyList<LossCell> cells, double log2Lr)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Log2Lr == log2Lr) return i;
        }
        throw new InvalidOperationException("the grid minimum is not a cell of its own curve");
    }

    private static string Text(double scale) => scale.ToString("G", CultureInfo.InvariantCulture);
}
