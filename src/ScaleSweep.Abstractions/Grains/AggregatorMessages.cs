using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Grains;

/// <summary>An opened results folder: the aggregator's epoch and the final status of each trial already stored.</summary>
[GenerateSerializer, Immutable]
public sealed record AggregatorOpened(
    [property: Id(0)] long Epoch,
    [property: Id(1)] string Directory,
    [property: Id(2)] ImmutableDictionary<string, TrialStatus> Stored)
{
    /// <summary>What a ladder plans from: the finite final loss of each stored completed trial, the rung loss of each pruned one.</summary>
    [Id(3)] public ImmutableDictionary<string, double> Losses { get; init; } = ImmutableDictionary<string, double>.Empty;
}

/// <summary>Result of <see cref="IAggregatorGrain.Finish"/>: the epoch and the planned keys that are not stored.</summary>
[GenerateSerializer, Immutable]
public sealed record AggregatorFinish(
    [property: Id(0)] long Epoch,
    [property: Id(1)] ImmutableArray<string> Missing);

/// <summary>What the end-of-sweep analysis produced.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalysisSummary(
    [property: Id(0)] string Directory,
    [property: Id(1)] int TrialsStored,
    [property: Id(2)] ImmutableArray<string> Files)
{
    /// <summary>Why the analysis failed (the results themselves are stored), or null.</summary>
    [Id(3)] public string? Error { get; init; }
}
