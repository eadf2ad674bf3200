using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Analysis.FeatureDiversity;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Diagnostics;

/// <summary>What to measure: a residual-MLP trial (trained for its own steps at its LR) and how many eval examples to probe.</summary>
public sealed record FeatureDiversitySettings(TrialSpec Trial, int Examples = 256);

/// <summary>The trial, the fit, and the training loss of the last step (NaN when no step ran).</summary>
public sealed record FeatureDiversityReport(TrialSpec Trial, DiversityFit Fit, double FinalTrainLoss);

/// <summary>
/// Feature diversity of a real residual MLP: train the trial's model for its steps (the trial's batches, optimizer and
/// schedule, as a sweep trains it), then record the residual stream before the first block and after every block on
/// the first eval examples and fit the exponent κ (<see cref="FeatureDiversityAnalysis"/>). The streams come from
/// the model's activation probes, so the model itself is unchanged.
/// </summary>
public static class FeatureDiversityMeasurement
{
    public static FeatureDiversityReport Run(FeatureDiversitySettings settings)
    {
        var spec = settings.Trial;
        if (spec.Model.Kind != ModelKind.Resnet.Name)
            throw new ArgumentException($"model {spec.Model.Kind}: feature diversity is measured on a resnet (a residual stream)");
        set_num_threads(Math.Max(1, spec.Threads)); // as a sweep trial: the trial's threads, not every core
        using var setup = TrialSetup.Open(spec);
        var loss = double.NaN;
        setup.Model.train();
        for (var step = 1; step <= spec.Optim.Steps; step++)
        {
            setup.Optimizer.SetLrFactor(LrSchedule.Factor(spec.Optim.Schedule, step, spec.Optim.Steps, spec.Optim.WarmupSteps));
            loss = TorchTrialRunner.TrainStep(setup.Model, setup.Optimizer, setup.Batches);
        }
        return new FeatureDiversityReport(spec, FeatureDiversityAnalysis.Measure(Streams(setup.Model, setup.Data, spec.Model, settings.Examples)), loss);
    }

    /// <summary>h_0 (the input layer's output) and h_1 … h_L on the first eval examples, in evaluation mode.</summary>
    private static ResidualStreams Streams(ScalableModel model, ITrainingData data, ModelConfig config, int examples)
    {
        var count = (int)Math.Min(examples, data.EvalCount);
        var layers = new float[config.Depth + 1][];
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var (x, _) = data.EvalBatch(0, count);
            model.Forward(x, (module, stream) =>
            {
                var layer = module == "input" ? 0 : module.StartsWith("block.", StringComparison.Ordinal) ? int.Parse(module[6..]) : -1;
                if (layer >= 0) layers[layer] = stream.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            });
        }
        model.train();
        return new ResidualStreams(config.Depth, count, config.Width, [.. layers.SelectMany(l => l)]);
    }
}
