using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ScaleSweep.Abstractions.Sweeps;

namespace ScaleSweep.Abstractions.Tests.Sweeps;

public sealed class TransferSettingsTests
{
    private static Serializer Serializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(TransferSettings).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Target_and_loss_tolerance_survive_the_grain_serializer()
    {
        // The plan travels to the sweep grain and its storage: a member without an [Id] would come back null.
        var settings = new TransferSettings("width", 1.5) { Target = 8192, ToleranceLoss = 0.02 };
        var serializer = Serializer();
        Assert.Equal(settings, serializer.Deserialize<TransferSettings>(serializer.SerializeToArray(settings)));
        var plain = new TransferSettings("depth", 1.0);
        Assert.Equal(plain, serializer.Deserialize<TransferSettings>(serializer.SerializeToArray(plain)));
    }
}
