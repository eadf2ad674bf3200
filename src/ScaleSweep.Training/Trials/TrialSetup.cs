using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Trials;

/// <summary>
/// What training one trial needs, built from its spec in the one order that fixes its random draws: the data, a
/// generator seeded with the trial's seed, the model initialised from it, the optimizer the parameterization sets up,
/// and the trial's batch order. Everything that trains a trial (the runner, the diagnostics) builds it here.
/// </summary>
internal sealed class TrialSetup : IDisposable
{
    private readonly Generator _generator;

    private TrialSetup(ITrainingData data, Generator generator, ScalableModel model, ScaledOptimizer optimizer, IBatchStream batches)
    {
        (Data, _generator, Model, Optimizer, Batches) = (data, generator, model, optimizer, batches);
    }

    public ITrainingData Data { get; }

    public ScalableModel Model { get; }

    public ScaledOptimizer Optimizer { get; }

    public IBatchStream Batches { get; }

    /// <param name="data">The trial's data when the caller opened it already (shared by several trials).</param>
    public static TrialSetup Open(TrialSpec spec, ITrainingData? data = null)
    {
        data ??= DataSets.Open(spec.Data, spec.Model);
        var parameterization = ParameterizationCatalog.For(spec);
        var generator = new Generator((ulong)spec.Seed);
        var model = ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, parameterization, generator);
        var optimizer = new ScaledOptimizer(model.ScaledParameters, parameterization, spec.Optim);
        return new TrialSetup(data, generator, model, optimizer, data.TrainBatches(spec.Optim.Batch, spec.Seed));
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        _generator.Dispose();
    }
}
