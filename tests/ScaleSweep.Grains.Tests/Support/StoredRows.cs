using System.Collections.Immutable;
using ScaleSweep.Abstractions.Grains;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>Reads what a finalized sweep stored.</summary>
internal static class StoredRows
{
    public static async Task<ImmutableArray<TrialResult>> ReadAsync(SweepStatus status)
    {
        Assert.NotNull(status.Analysis);
        Assert.Null(status.Analysis!.Error);
        return (await ResultsReader.ReadAsync(status.Analysis.Directory)).Trials;
    }
}
