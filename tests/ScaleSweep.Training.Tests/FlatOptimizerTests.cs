using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// Tests that set libtorch's thread count, which is one per process and picks the optimizer's path: they run alone, so
/// that no test beside them changes it between their set-up and their optimizer's construction.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "thread count";
}

/// <summary>The flat-buffer optimizer against the per-tensor optimizer it replaced, step for step on the same batches.</summary>
[Collection(ThreadCountCollection.Name)]
public sealed class FlatOptimizerTests : IDisposable
{
    private const int Steps = 50;

    private readonly int threads = get_num_threads();

    public void Dispose() => set_num_threads(threads);

    /// <summary>
    /// Every optimizer takes its one-pass kernel on one CPU thread and tensor ops otherwise: both paths are checked.
    /// </summary>
    [Theory]
    [InlineData("sp", "sgd", 0.05, 0.9, 1)]
    [InlineData("sp", "sgd", 0.05, 0.9, 2)]
    [InlineData("sp", "adam", 3e-3, 0, 1)]
    [InlineData("sp", "adam", 3e-3, 0, 2)]
    [InlineData("sp", "adamw", 3e-3, 0, 1)]
    [InlineData("sp", "adamw", 3e-3, 0, 2)]
    [InlineData("mup", "sgd", 0.05, 0.9, 1)]
    [InlineData("mup", "sgd", 0.05, 0.9, 2)]
    [InlineData("mup", "adam", 3e-3, 0, 1)]
    [InlineData("mup", "adam", 3e-3, 0, 2)]
    [InlineData("mup", "adamw", 3e-3, 0, 1)]
    [InlineData("mup", "adamw", 3e-3, 0, 2)]
    [InlineData("ip-large-lr", "sgd", 0.05, 0, 1)] // a first step with its own LRs, partly calibrated
    [InlineData("ip-large-lr", "sgd", 0.05, 0, 2)]
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

    /// <summary>With two threads the update runs as tensor ops over flat gradients; with one, a kernel over autograd's own.</summary>
    [Theory]
    [InlineData(2, "adam", true)]
    [InlineData(1, "adam", false)]
    [InlineData(2, "sgd", true)]
    [InlineData(1, "sgd", false)]
    public void Parameters_are_views_of_the_flat_buffer_and_gradients_only_for_tensor_ops(int threads, string optimizerKind, bool flatGradients)
    {
        set_num_threads(threads);
        var spec = Trials.Mlp("mup", width: 96, optimizer: optimizerKind);
        var parameterization = ParameterizationCatalog.For(spec);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var model = Model(spec, parameterization, data);
        var before = model.ScaledParameters.Select(p => p.Parameter.detach().clone()).ToArray();
        using var optimizer = new ScaledOptimizer(model.ScaledParameters, parameterization, spec.Optim);
        using var scope = NewDisposeScope();

        // Flattening keeps every value; a step's gradients land in the flat gradient buffer or in autograd's own tensors.
        for (int i = 0; i < before.Length; i++) Assert.True(model.ScaledParameters[i].Parameter.allclose(before[i], rtol: 0, atol: 0));
        optimizer.ZeroGrad();
        var (x, y) = data.FixedTrainBatch(16);
        TrainingObjective.Compute(model, x, y).Objective.backward();
        var gradients = model.ScaledParameters.Select(p => p.Parameter.grad!.reshape(-1)).ToArray();
        Assert.True(gradients.Sum(g => g.abs().sum().item<float>()) > 0);
        var copies = gradients.Select(g => g.clone()).ToArray();
        optimizer.ZeroGrad();
        if (flatGradients)
            Assert.True(model.ScaledParameters.All(p => p.Parameter.grad!.abs().sum().item<float>() == 0),
                "zeroing the flat gradient buffer must zero every parameter's gradient");
        else
            Assert.True(model.ScaledParameters.All(p => p.Parameter.grad is null),
                "the one-pass path drops each gradient, so that backward's own tensor becomes the next one");
        // The next backward gives the same gradients again, not twice them.
        TrainingObjective.Compute(model, x, y).Objective.backward();
        for (int i = 0; i < copies.Length; i++)
            Assert.True(model.ScaledParameters[i].Parameter.grad!.reshape(-1).allclose(copies[i], rtol: 1e-6, atol: 0),
                $"{model.ScaledParameters[i].Name}: the second backward's gradient differs from the first's");
    }

    private static ScalableModel Model(TrialSpec spec, Parameterization parameterization, ITrainingData data)
    {
        using var generator = new Generator((ulong)spec.Seed);
        return ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, parameterization, generator);
    }

    private static double Norm(Tensor t) => t.norm().item<float>();
}
