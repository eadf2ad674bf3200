using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

public class ParameterizationTableTests
{
    private static Parameterization At(ParameterizationTable table, double m, ParameterizationOptions? options = null) =>
        new(table, new Multipliers(m, 1, 1), options ?? ParameterizationOptions.Default);

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    [InlineData(16.0)]
    public void Mup_matches_the_mup_library_table(double m)
    {
        var mup = At(BuiltInTables.Mup, m, new ParameterizationOptions { InputMult = 0.5, OutputMult = 32 });
        const int baseWidth = 64, inputs = 784;
        var width = (long)(baseWidth * m);
        var input = new ParameterShape(ParameterRoles.Input, inputs, inputs);
        var hidden = new ParameterShape(ParameterRoles.Hidden, width, baseWidth);
        var output = new ParameterShape(ParameterRoles.Output, width, baseWidth);
        var baseStd = (double b) => 1 / Math.Sqrt(3 * b);

        // Init: input and readout keep the base variance; hidden variance ∝ 1/fan_in.
        Assert.Equal(baseStd(inputs), mup.InitStd(input), 12);
        Assert.Equal(baseStd(baseWidth) / Math.Sqrt(m), mup.InitStd(hidden), 12);
        Assert.Equal(baseStd(width), mup.InitStd(hidden), 12);
        Assert.Equal(baseStd(baseWidth), mup.InitStd(output), 12);

        // Forward multipliers: input_mult on the input layer, output_mult / m on the readout.
        Assert.Equal(0.5, mup.Multiplier(input), 12);
        Assert.Equal(1, mup.Multiplier(hidden), 12);
        Assert.Equal(32 / m, mup.Multiplier(output), 12);

        var adam = new OptimConfig("adam", 1e-3, 1, 1) { WeightDecay = 0.1, Eps = 1e-8 };
        Assert.Equal(1e-3, mup.Hyperparameters(input, adam).Lr, 15);
        Assert.Equal(1e-3 / m, mup.Hyperparameters(hidden, adam).Lr, 15);
        Assert.Equal(1e-3, mup.Hyperparameters(output, adam).Lr, 15);
        Assert.Equal(0.1 * m, mup.Hyperparameters(hidden, adam).WeightDecay, 12);
        Assert.Equal(1e-8, mup.Hyperparameters(hidden, adam).Eps, 15);

        var sgd = new OptimConfig("sgd", 0.1, 1, 1) { WeightDecay = 0.01 };
        Assert.Equal(0.1 * m, mup.Hyperparameters(input, sgd).Lr, 12);
        Assert.Equal(0.1, mup.Hyperparameters(hidden, sgd).Lr, 12);
        Assert.Equal(0.1 * m, mup.Hyperparameters(output, sgd).Lr, 12);
        Assert.Equal(0.01 / m, mup.Hyperparameters(input, sgd).WeightDecay, 12);
        Assert.Equal(0.1 * m, mup.Hyperparameters(new ParameterShape(ParameterRoles.Bias, width, baseWidth), sgd).Lr, 12);
        Assert.Equal(0.1, mup.Hyperparameters(new ParameterShape(ParameterRoles.OutputBias, width, baseWidth), sgd).Lr, 12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(8.0)]
    public void Sp_and_ntk_follow_their_tables(double m)
    {
        var width = (long)(64 * m);
        var hidden = new ParameterShape(ParameterRoles.Hidden, width, 64);
        var sp = At(BuiltInTables.Sp, m);
        Assert.Equal(1 / Math.Sqrt(3 * width), sp.InitStd(hidden), 12);
        Assert.Equal(1, sp.Multiplier(hidden));
        Assert.Equal(2e-3, sp.Hyperparameters(hidden, new OptimConfig("adam", 2e-3, 1, 1)).Lr, 15);

        var ntk = At(BuiltInTables.Ntk, m);
        Assert.Equal(1, ntk.InitStd(hidden));
        Assert.Equal(1 / Math.Sqrt(width), ntk.Multiplier(hidden), 12);
        Assert.Equal(0.1, ntk.Hyperparameters(hidden, new OptimConfig("sgd", 0.1, 1, 1)).Lr, 12);
        Assert.Equal(1e-3 / Math.Sqrt(m), ntk.Hyperparameters(hidden, new OptimConfig("adam", 1e-3, 1, 1)).Lr, 12);
    }

    [Fact]
    public void Optimizer_groups_carry_the_tables_learning_rates()
    {
        var spec = Trials.Mlp("mup", width: 256, depth: 3, baseWidth: 64, lr: 1e-3);
        var p = ParameterizationCatalog.For(spec);
        var data = DataSets.Load(spec.Data);
        using var generator = new Generator(0);
        using var model = ModelFactory.Create(spec.Model, spec.Base, data.InputSize, data.Classes, p, generator);
        using var optimizer = new ScaledOptimizer(model.ScaledParameters, p, spec.Optim);
        var byName = model.ScaledParameters.Zip(optimizer.GroupLearningRates).ToDictionary(x => x.First.Name, x => x.Second);
        Assert.Equal(1e-3, byName["input.weight"], 15);
        Assert.Equal(1e-3 / 4, byName["hidden.1.weight"], 15);
        Assert.Equal(1e-3 / 4, byName["hidden.2.weight"], 15);
        Assert.Equal(1e-3, byName["output.weight"], 15);
    }

    [Fact]
    public void Measured_init_std_follows_the_table()
    {
        var spec = Trials.Mlp("mup", width: 1024, depth: 2, baseWidth: 64);
        var p = ParameterizationCatalog.For(spec);
        using var generator = new Generator(3);
        using var model = ModelFactory.Create(spec.Model, spec.Base, 64, 10, p, generator);
        foreach (var sp in model.ScaledParameters.Where(s => s.Name.EndsWith(".weight")))
        {
            var measured = sp.Parameter.std().item<float>();
            Assert.InRange(measured / p.InitStd(sp.Shape), 0.97, 1.03);
        }
    }

    [Fact]
    public void At_base_shape_mup_is_the_base_model()
    {
        var mup = Trials.Mlp("mup", width: 64, baseWidth: 64, depth: 3);
        var sp = mup with { Parameterization = "sp" };
        var data = DataSets.Load(mup.Data);
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var a = ModelFactory.Create(mup.Model, mup.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(mup), g1);
        using var b = ModelFactory.Create(sp.Model, sp.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(sp), g2);
        foreach (var (pa, pb) in a.ScaledParameters.Zip(b.ScaledParameters))
            Assert.True(pa.Parameter.equal(pb.Parameter).all().item<bool>(), $"{pa.Name} differs at base shape");
        using var x = data.EvalX.narrow(0, 0, 32);
        Assert.True(a.forward(x).equal(b.forward(x)).all().item<bool>());
        // And the trained result is identical, so tuning at base transfers to μP by construction.
        var runner = new ScaleSweep.Training.Trials.TorchTrialRunner();
        Assert.Equal(runner.Run(sp, null, default).FinalTrainLoss, runner.Run(mup, null, default).FinalTrainLoss);
    }
}
