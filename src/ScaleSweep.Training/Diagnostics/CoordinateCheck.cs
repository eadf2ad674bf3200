using ScaleSweep.Abstractions.Numerics;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Diagnostics;

/// <summary>
/// The μP coordinate check: models at several scales, one fixed batch reused for a few steps, mean |x| of
/// every module's output at each step (t = 1 is before any update), averaged over seeds, and the least-squares
/// slope of log2 mean|x| against log2 scale per module and step. Correct μP: flat (|slope| ≲ 0.1–0.2 for t ≥ 2).
/// Axes: width, depth (residual blocks / hidden layers) and experts. Every model reports input, its blocks or
/// hidden layers and output; residual models also "blocks", the stream after the last block, which is the
/// module to compare across depths (block.i exists only at depths ≥ i).
/// </summary>
public static class CoordinateCheck
{
    /// <summary>The axes a coordinate check varies (the CLI's --widths, --depths, --experts).</summary>
    public static IReadOnlyList<ScaleAxis> Axes { get; } = [ScaleAxis.Width, ScaleAxis.Depth, ScaleAxis.Experts];

    public static CoordinateCheckReport Run(CoordinateCheckSettings settings)
    {
        var records = new List<CoordinateRecord>();
        foreach (var scale in settings.Scales)
        {
            var spec = settings.At(scale);
            var data = DataSets.Open(spec.Data, spec.Model);
            var sums = new Dictionary<(string Module, int T), double>();
            for (int seed = 0; seed < settings.Seeds; seed++)
                foreach (var (module, t, meanAbs) in Trace(spec with { Seed = spec.Seed + seed }, data, settings.Steps, settings.Batch))
                    sums[(module, t)] = sums.GetValueOrDefault((module, t)) + meanAbs / settings.Seeds;
            records.AddRange(sums.Select(kv => new CoordinateRecord(kv.Key.Module, kv.Key.T, scale, kv.Value)));
        }
        return new CoordinateCheckReport(settings, records, Slopes(records));
    }

    private static IEnumerable<(string Module, int T, double MeanAbs)> Trace(TrialSpec spec, ITrainingData data, int steps, int batch)
    {
        using var setup = TrialSetup.Open(spec, data);
        var (model, optimizer) = (setup.Model, setup.Optimizer);
        using var batchScope = NewDisposeScope();
        var (x, y) = data.FixedTrainBatch(batch);
        var results = new List<(string, int, double)>();
        for (int t = 1; t <= steps; t++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var (objective, _) = TrainingObjective.Compute(model, x, y, (module, activation) =>
                results.Add((module, t, activation.detach().abs().mean().item<float>())));
            objective.backward();
            optimizer.Step(new CalibrationBatch(model, x));
        }
        return results;
    }

    /// <summary>Least-squares slope of log2 mean|x| against log2 scale for each (module, t).</summary>
    public static IReadOnlyList<CoordinateSlope> Slopes(IEnumerable<CoordinateRecord> records) =>
        records.GroupBy(r => (r.Module, r.T))
            .Select(g =>
            {
                var points = g.Where(r => r.MeanAbs > 0).Select(r => (X: Math.Log2(r.Scale), Y: Math.Log2(r.MeanAbs))).ToArray();
                return new CoordinateSlope(g.Key.Module, g.Key.T, LeastSquares.Slope([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]) ?? double.NaN);
            })
            .OrderBy(s => s.T).ThenBy(s => s.Module, StringComparer.Ordinal)
            .ToArray();
}

/// <summary>What to check: a base trial, the axis and scale values to vary, steps, batch and seeds to average.</summary>
public sealed record CoordinateCheckSettings(TrialSpec BaseTrial, string Axis, IReadOnlyList<int> Scales,
    int Steps = 4, int Batch = 64, int Seeds = 3)
{
    public TrialSpec At(int scale) => GridKeys.Apply(BaseTrial, Axis, scale);
}

public sealed record CoordinateRecord(string Module, int T, int Scale, double MeanAbs);

public sealed record CoordinateSlope(string Module, int T, double Slope);

public sealed record CoordinateCheckReport(
    CoordinateCheckSettings Settings,
    IReadOnlyList<CoordinateRecord> Records,
    IReadOnlyList<CoordinateSlope> Slopes);
