using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>Every model kind trains a small trial end to end through the real trainer.</summary>
public class ModelTrainingTests
{
    private readonly TorchTrialRunner runner = new();

    private static readonly Dictionary<string, TrialSpec> SmallTrials = new()
    {
        ["resnet"] = Trials.Residual("resnet", width: 32, depth: 3, lr: 3e-3, steps: 40),
        ["resnet (2-layer blocks, LayerNorm, gelu)"] = Trials.Residual("resnet", width: 32, depth: 3, lr: 3e-3, steps: 40) with
            { Model = new ModelConfig("resnet", 32, 3, "gelu") { BlockDepth = 2, LayerNorm = true } },
        // Convolutions need images: Fashion-MNIST (the synthetic set's 8×8 "images" have no spatial structure).
        ["conv-resnet"] = Trials.Residual("conv-resnet", width: 16, depth: 2, lr: 1e-2, steps: 40, baseWidth: 16, batch: 32) with
            { Data = new DataConfig("fashion-mnist") { EvalExamples = 1000 } },
        ["transformer"] = Trials.Sequence("transformer", width: 32, steps: 40),
        ["moe (load balancing)"] = Trials.Sequence("moe", width: 32, steps: 40, loadBalance: 0.01),
        ["moe (mean aggregation)"] = Trials.Sequence("moe", "moe-mean-agg", width: 32, steps: 40),
    };

    public static TheoryData<string> SmallTrialNames => new(SmallTrials.Keys);

    [Theory]
    [MemberData(nameof(SmallTrialNames))]
    public void Every_model_trains_end_to_end(string name)
    {
        var spec = SmallTrials[name];
        var result = runner.Run(spec, null, default);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.Equal(spec.Optim.Steps, result.Steps);
        var first = result.Curve[0].TrainLoss;
        var classes = spec.Data.Kind == "text" ? 256 : 10;
        Assert.InRange(first, 0.7 * Math.Log(classes), 1.3 * Math.Log(classes));
        Assert.True(result.FinalEvalLoss < first - 0.15, $"{name}: eval loss {result.FinalEvalLoss} after starting at {first}");
        Assert.True(result.EvalAccuracy > 1.5 / classes, $"{name}: accuracy {result.EvalAccuracy}");
        Assert.True(result.Params > 0);
        Assert.Equal(result.FinalTrainLoss, runner.Run(spec, null, default).FinalTrainLoss);
    }

    [Fact]
    public void Models_report_their_parameters_with_roles_and_probe_every_block()
    {
        foreach (var spec in new[] { Trials.Residual("resnet", depth: 3), Trials.Residual("conv-resnet", width: 8, depth: 3),
                     Trials.Sequence("transformer", depth: 3), Trials.Sequence("moe", depth: 3) })
        {
            var data = DataSets.Open(spec.Data, spec.Model);
            using var generator = new Generator(0);
            using var model = ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(spec), generator);
            Assert.Equal(model.parameters().Sum(p => p.numel()), model.ParameterCount);
            Assert.Equal(model.ScaledParameters.Count, model.ScaledParameters.Select(p => p.Name).Distinct().Count());

            using var scope = NewDisposeScope();
            var (x, _) = data.FixedTrainBatch(2);
            var seen = new List<string>();
            model.Forward(x, (module, _) => seen.Add(module));
            Assert.Equal(["input", "block.1", "block.2", "block.3", "blocks", "output"], seen);
        }
    }

    [Fact]
    public void Transformer_roles_and_fans_follow_the_issue()
    {
        var spec = Trials.Sequence("moe", width: 64, baseWidth: 32, experts: 4);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var generator = new Generator(0);
        using var model = ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(spec), generator);
        var byName = model.ScaledParameters.ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal(new ParameterShape("input", 256, 256), byName["embedding.weight"]);
        Assert.Equal(new ParameterShape("input", 32, 32), byName["position.weight"]);
        Assert.Equal(new ParameterShape("hidden", 64, 32), byName["block.1.attn.q.weight"]);
        Assert.Equal(new ParameterShape("norm", 64, 32), byName["block.1.attn_norm.gain"]);
        Assert.Equal(new ParameterShape("router", 64, 32), byName["block.1.ffn.router.weight"]);
        Assert.Equal(new ParameterShape("expert", 64, 32), byName["block.1.ffn.up.weight"]);
        Assert.Equal(new ParameterShape("expert", 64, 32), byName["block.1.ffn.down.weight"]); // expert width 64 co-scales: base 32
        Assert.Equal(new ParameterShape("output", 64, 32), byName["output.weight"]);
        // μP zero-initialises the query.
        Assert.Equal(0, model.ScaledParameters.Single(p => p.Name == "block.1.attn.q.weight").Parameter.abs().max().item<float>());
    }

    [Fact]
    public void Load_balancing_adds_to_the_training_objective_only()
    {
        var spec = Trials.Sequence("moe", width: 32, loadBalance: 0.5);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var generator = new Generator(0);
        using var model = ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(spec), generator);
        using var scope = NewDisposeScope();
        var (x, y) = data.FixedTrainBatch(4);
        var (objective, crossEntropy) = TrainingObjective.Compute(model, x, y);
        var auxiliary = objective.item<float>() - crossEntropy.item<float>();
        // Switch loss M·Σ f_i·P_i is 1 when balanced and ≥ 1 in general; two blocks, coefficient 0.5.
        Assert.InRange(auxiliary, 2 * 0.5 * 0.99, 2 * 0.5 * 4);
        Assert.Equal(crossEntropy.item<float>(), TrainingObjective.CrossEntropy(model.forward(x), y).item<float>(), 5);
    }

    [Fact]
    public void Attention_logits_use_the_tables_scale_and_query_init()
    {
        var spec = Trials.Sequence("transformer", width: 32);
        var data = DataSets.Open(spec.Data, spec.Model);
        using var scope = NewDisposeScope();
        var (x, _) = data.FixedTrainBatch(2);
        Tensor Logits(ParameterizationTable table)
        {
            var custom = spec with { Parameterization = table.Name, CustomTable = table };
            using var generator = new Generator(1);
            using var model = ModelFactory.Create(custom.Model, custom.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(custom), generator);
            return model.forward(x).detach();
        }
        var randomQuery = BuiltInTables.Mup with { Name = "random-query", ZeroQuery = false };
        var doubled = new ScaleRule(2, FanIn: -1, BaseFanIn: 0.5);
        Assert.False(Logits(randomQuery).allclose(Logits(randomQuery with { AttentionScale = doubled })), "the logit scale must reach the attention");
        // A zero query makes every logit 0, whatever the scale.
        var zeroQuery = BuiltInTables.Mup with { Name = "zero-query" };
        Assert.True(Logits(zeroQuery).equal(Logits(zeroQuery with { AttentionScale = doubled })).all().item<bool>());
    }
}
