using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>feature-diversity --results DIR</c>: the trials to measure in a finished resnet sweep. For each parameterization
/// in its transfer.json, the largest scale that has an η*, trained as the sweep trained it (the spec saved in the
/// folder, seed of its first trial) at that η*. Every problem is a <see cref="UsageException"/> naming --results.
/// </summary>
public static class FeatureDiversityOfSweep
{
    public static IReadOnlyList<TrialSpec> Trials(string dir)
    {
        var specPath = Path.Combine(dir, ResultsFolder.SpecFile);
        var transferPath = Path.Combine(dir, ResultsFolder.TransferJsonFile);
        foreach (var path in new[] { specPath, transferPath })
            if (!File.Exists(path)) throw new UsageException($"--results: {path} not found (a folder written by run or report)");
        SweepSpec spec;
        TransferReport transfer;
        try
        {
            spec = SweepSpecLoader.Load(specPath);
            transfer = TransferFiles.FromJson(File.ReadAllText(transferPath));
        }
        catch (Exception ex) when (ex is SpecValidationException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new UsageException($"--results: {dir} cannot be read: {ex.Message.Split('\n')[0]}");
        }
        if (spec.Model.Kind != ModelKind.Resnet.Name)
            throw new UsageException($"--results: the sweep trains {spec.Model.Kind}; feature diversity needs a resnet");
        var plan = spec.Expand();
        var trials = new List<TrialSpec>();
        foreach (var result in transfer.Results)
        {
            var point = result.Points.Where(p => double.IsFinite(p.Log2LrOpt)).MaxBy(p => p.Scale);
            var first = plan.Trials.FirstOrDefault(t => t.Spec.Parameterization == result.Parameterization);
            if (point is null || first is null) continue;
            var trial = GridKeys.Apply(first.Spec, result.Axis, point.Scale);
            trials.Add(trial with { Optim = trial.Optim with { Lr = Math.Pow(2, point.Log2LrOpt) } });
        }
        if (trials.Count == 0) throw new UsageException($"--results: {dir} has no optimum to measure at");
        return trials;
    }
}
