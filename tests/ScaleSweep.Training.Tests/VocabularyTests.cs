using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>Every word a spec accepts is one the trainer can build, and the trainer builds nothing a spec cannot name.</summary>
public class VocabularyTests
{
    [Fact]
    public void Every_model_kind_but_noop_is_built_by_the_factory_and_trains_a_step_on_its_default_data()
    {
        Assert.Equal([ModelKind.Noop, ModelKind.Command], ModelKind.All.Except(ModelFactory.Buildable));
        Assert.Empty(ModelFactory.Buildable.Except(ModelKind.All));
        foreach (var kind in ModelFactory.Buildable)
        {
            // The spec's own rules build the trial, so its defaults (data, top_k, base shape) are what a sweep gets.
            var spec = SweepSpecLoader.Parse($$"""
                name: vocabulary
                model: { kind: {{kind.Name}}, width: 16, depth: 1{{(kind.Uses("heads") ? ", heads: 2, context: 8" : "")}}{{(kind.Uses("experts") ? ", experts: 2" : "")}} }
                data: { kind: {{kind.DefaultData.Name}}, train_examples: 64, eval_examples: 16 }
                train: { steps: 1, batch: 4 }
                parameterizations: [sp]
                grid: { lr: [0.001] }
                """, "vocabulary").Expand().Trials.Single().Spec;
            var result = new ScaleSweep.Training.Trials.TorchTrialRunner().Run(spec, null, default);
            Assert.True(result.Status == TrialStatus.Completed, $"{kind.Name}: {result.Status}");
        }
    }

    [Fact]
    public void Every_data_kind_opens_as_the_shape_it_declares()
    {
        foreach (var kind in DataKind.All)
        {
            var data = DataSets.Open(new DataConfig(kind.Name) { TrainExamples = 32, EvalExamples = 8 },
                new ModelConfig(kind.Shape == DataShape.Tokens ? "transformer" : "mlp", 16, 1) { Context = 8 });
            // Token data predicts every position of its window; feature data one label per example.
            Assert.Equal(kind.Shape == DataShape.Tokens ? 8 : 1, data.PredictionsPerExample);
            Assert.True(data.EvalCount > 0, kind.Name);
        }
    }

    [Fact]
    public void The_trainer_implements_exactly_the_optimizers_activations_and_parameterizations_a_spec_names()
    {
        Assert.Equal(OptimizerKind.All.OrderBy(k => k.Name), ScaledOptimizer.Implemented.OrderBy(k => k.Name));
        Assert.Equal(ActivationKind.All.OrderBy(k => k.Name), Activations.Implemented.OrderBy(k => k.Name));
        Assert.Equal(BuiltInTables.Names.ToArray(), ParameterizationCatalog.Names.ToArray());
        foreach (var name in ActivationKind.Names)
        {
            using var x = tensor(new[] { -1f, 2f });
            using var y = Activations.Get(name)(x);
            Assert.Equal(2, y.numel());
        }
    }

    [Fact]
    public void Every_named_schedule_warms_up_linearly_and_starts_near_one()
    {
        foreach (var kind in ScheduleKind.All)
        {
            Assert.InRange(LrSchedule.Factor(kind.Name, step: 1, totalSteps: 100, warmupSteps: 0), 0.98, 1.0);
            Assert.Equal(0.5, LrSchedule.Factor(kind.Name, step: 5, totalSteps: 100, warmupSteps: 10), 12);
        }
        Assert.Equal(0, LrSchedule.Factor("linear", 100, 100, 0), 12);
        Assert.Equal(0, LrSchedule.Factor("cosine", 100, 100, 0), 12);
        Assert.Equal(1, LrSchedule.Factor("constant", 100, 100, 0), 12);
    }
}
