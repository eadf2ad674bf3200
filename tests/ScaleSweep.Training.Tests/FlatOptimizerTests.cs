using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>The flat-buffer optimizer against the per-tensor optimizer it replaced, step for step on the same batches.</summary>
public class FlatOptimizerTests
{
    private const int Steps = 50;

    /// <summary>
    /// Adam and AdamW take the one-pass kernel on one CPU thread and tensor ops otherwise: both paths are checked.
    /// </summary>
    [Theory]
    [InlineData("sp", "sgd", 0.05, 0.9, 1)]
    [InlineData("sp", "adam", 3e-3, 0, 1)]
    [InlineData("sp", "adam", 3e-3, 0, 2)]
    [InlineData("sp", "adamw", 3e-3, 0, 1)]
    [InlineData("sp", "adamw", 3e-3, 0, 2)]
    [InlineData("mup", "sgd", 0.05, 0.9, 1)]
    [InlineData("mup", "adam", 3e-3, 0, 1)]
    [InlineData("mup", "adam", 3e-3, 0, 2)]
    [InlineData("mup", "adamw", 3e-3, 0, 1)]
    [InlineData("mup", "adamw", 3e-3, 0, 2)]
    [InlineData("ip-large-lr", "sgd", 0.05, 0, 1)] // a first step with its own LRs, partly calibrated
    public void Gives_the_parameters_of_the_per_tensor_optimizer_after_50_steps(string table, string optimizer, double lr, double momentum, int threads)
    {
        set_num_threads(threads);
        var spec = Trials.Mlp(table, width: 128, steps: Steps) with
        {
            // IP's calibrated first step is defined on bias-free models.
            Model = new ModelConfig("mlp", 128, 2, Bias: table != "ip-large-lr"),
            // Weight decay (IP's width-scaled LRs diverge with it) and a warmup-then-cosine schedule, so that every
            // factor of the update takes part.
            Optim = new OptimConfig(optimizer, lr, Steps, 32)
            {
                WeightDecay = table == "ip-large-lr" ? 0 : 0.05, WarmupSteps = 5, Schedule = "cosine", Momentum = momentum,
            },
        };
        var parameterization = ParameterizationCatalog.For(spec);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var flatModel = Model(spec, parameterization, data);
        using var referenceModel = Model(spec, parameterization, data);
        var initial = referenceModel.ScaledParameters.Select(p => p.Parameter.detach().clone()).ToArray();
        using var flat = new ScaledOptimizer(flatModel.ScaledParameters, parameterization, spec.Optim);
        using var reference = new PerTensorOptimizer(referenceModel.ScaledParameters, parameterization, spec.Optim);

        var batches = data.TrainBatches(spec.Optim.Batch, spec.Seed);
        for (int step = 1; step <= Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = batches.Next();
            var factor = LrSchedule.Factor(spec.Optim.Schedule, step, Steps, spec.Optim.WarmupSteps);
            flat.SetLrFactor(factor);
            flat.ZeroGrad();
            TrainingObjective.Compute(flatModel, x, y).Objective.backward();
            flat.Step(new CalibrationBatch(flatModel, x));
            reference.SetLrFactor(factor);
            reference.ZeroGrad();
            TrainingObjective.Compute(referenceModel, x, y).Objective.backward();
            reference.Step(new CalibrationBatch(referenceModel, x));
        }

        Assert.Equal(reference.FirstStepFactors.Keys, flat.FirstStepFactors.Keys);
        foreach (var (module, expected) in reference.FirstStepFactors)
            Assert.True(Math.Abs(flat.FirstStepFactors[module] - expected) <= 1e-5 * Math.Abs(expected),
                $"{module}: calibrated first-step factor {flat.FirstStepFactors[module]} against {expected}");
        for (int i = 0; i < initial.Length; i++)
        {
            var name = referenceModel.ScaledParameters[i].Name;
            var expected = referenceModel.ScaledParameters[i].Parameter;
            var actual = flatModel.ScaledParameters[i].Parameter;
            var moved = Norm(expected.sub(initial[i])) / Norm(initial[i]);
            Assert.True(moved > 1e-3, $"{name}: the reference barely moved ({moved:G3}), so the comparison would prove nothing");
            var difference = Norm(actual.sub(expected)) / Norm(expected);
            // IP's calibrated first step divides by a measured change of each layer's output, which magnifies
            // the first update's rounding: its parameters agree to 1e-5.
            Assert.True(difference <= (table == "ip-large-lr" ? 1e-5 : 1e-6), $"{name}: flat and per-tensor parameters differ by {difference:G3} (relative)");
        }
    }

    [Fact]
    public void Parameters_and_gradients_are_views_of_the_flat_buffers()
    {
        var spec = Trials.Mlp("mup", width: 96);
        var parameterization = ParameterizationCatalog.For(spec);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var model = Model(spec, parameterization, data);
        var before = model.ScaledParameters.Select(p => p.Parameter.detach().clone()).ToArray();
        using var optimizer = new ScaledOptimizer(model.ScaledParameters, parameterization, spec.Optim);
        using var scope = NewDisposeScope();

        // Flattening keeps every value, and a step's gradients land in the flat gradient buffer.
        for (int i = 0; i < before.Length; i++) Assert.True(model.ScaledParameters[i].Parameter.allclose(before[i], rtol: 0, atol: 0));
        optimizer.ZeroGrad();
        var (x, y) = data.FixedTrainBatch(16);
        TrainingObjective.Compute(model, x, y).Objective.backward();
        var gradients = model.ScaledParameters.Select(p => p.Parameter.grad!.reshape(-1)).ToArray();
        Assert.True(gradients.Sum(g => g.abs().sum().item<float>()) > 0);
        var flatGradients = cat(gradients, 0);
        optimizer.ZeroGrad();
        Assert.True(model.ScaledParameters.All(p => p.Parameter.grad!.abs().sum().item<float>() == 0),
            "zeroing the flat gradient buffer must zero every parameter's gradient");
        Assert.True(flatGradients.abs().sum().item<float>() > 0);
    }

    private static ScalableModel Model(TrialSpec spec, Parameterization parameterization, ITrainingData data)
    {
        using var generator = new Generator((ulong)spec.Seed);
        return ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, parameterization, generator);
    }

    private static double Norm(Tensor t) => t.norm().item<float>();
}
