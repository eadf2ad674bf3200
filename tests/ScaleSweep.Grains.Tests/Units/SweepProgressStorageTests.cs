using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Sweeps;

namespace ScaleSweep.Grains.Tests.Units;

public class SweepProgressStorageTests
{
    /// <summary>
    /// A <see cref="SweepProgress"/> as grain storage held it before trial phases and row statuses became one enum:
    /// phases pending, leased, completed, diverged, failed, cancelled and attempts 0, 1, 1, 2, 3, 1.
    /// </summary>
    private const string StoredBeforeTheMerge = "ICAADQEBAAMABQAHAAkAC+AhAA0BAQAFAAUACQANAAXgIeAh4AEFAQEBAQEBAQHBAcEBIeDg";

    internal static Serializer Serializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(SweepProgress).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Progress_stored_before_the_merge_still_loads_with_the_same_statuses()
    {
        var progress = Serializer().Deserialize<SweepProgress>(Convert.FromBase64String(StoredBeforeTheMerge))!;
        Assert.Equal(Enum.GetValues<TrialStatus>()[..6], progress.Statuses);
        Assert.Equal([0, 1, 1, 2, 3, 1], progress.Attempts);
    }

    /// <summary>
    /// Every field keeps its bytes; fields added since (new ids, default values here) are written after them, before
    /// the end-of-object marker.
    /// </summary>
    [Fact]
    public void Progress_is_still_stored_as_it_was()
    {
        // Statuses stored before pruned existed; new fields (ladder state, reused count) are written after the old ones.
        var progress = new SweepProgress { Statuses = Enum.GetValues<TrialStatus>()[..6], Attempts = [0, 1, 1, 2, 3, 1] };
        var before = Convert.FromBase64String(StoredBeforeTheMerge);
        var now = Serializer().SerializeToArray(progress);
        Assert.Equal(before[..^1], now[..(before.Length - 1)]);
        Assert.Equal(before[^1], now[^1]);
    }
}
