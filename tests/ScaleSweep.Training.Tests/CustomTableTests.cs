using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>A parameterization is data: the built-in μP written as a user table behaves exactly like μP.</summary>
public class CustomTableTests
{
    [Theory]
    [InlineData("transformer")]
    [InlineData("moe")]
    [InlineData("resnet")]
    public void A_custom_copy_of_mup_gives_identical_weights_and_losses(string kind)
    {
        var builtIn = kind == "resnet" ? Trials.Residual(kind, width: 128, depth: 3, steps: 20) : Trials.Sequence(kind, width: 64, steps: 20);
        var custom = builtIn with { Parameterization = "my-mup", CustomTable = BuiltInTables.Mup with { Name = "my-mup" } };

        var data = DataSets.Open(builtIn.Data, builtIn.Model);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        using var a = ModelFactory.Create(builtIn.Model, builtIn.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(builtIn), g1);
        using var b = ModelFactory.Create(custom.Model, custom.Base, data.InputSize, data.Classes, ParameterizationCatalog.For(custom), g2);
        foreach (var (pa, pb) in a.ScaledParameters.Zip(b.ScaledParameters))
            Assert.True(pa.Parameter.equal(pb.Parameter).all().item<bool>(), $"{pa.Name} differs");

        var runner = new TorchTrialRunner();
        var expected = runner.Run(builtIn, null, default);
        var actual = runner.RunAlone(custom, null, default);
        Assert.Equal(expected.Curve.Select(c => c.TrainLoss), actual.Curve.Select(c => c.TrainLoss));
        Assert.Equal(expected.FinalEvalLoss, actual.FinalEvalLoss);
        Assert.Equal("my-mup", actual.Parameterization);
    }
}
