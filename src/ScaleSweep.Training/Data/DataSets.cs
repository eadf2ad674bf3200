using System.Collections.Concurrent;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Data;

/// <summary>Loads a trial's data set once per process and shares it between trials.</summary>
public static class DataSets
{
    public static readonly IReadOnlyList<string> Kinds = ["synthetic", "fashion-mnist"];

    private static readonly ConcurrentDictionary<string, Lazy<ClassificationData>> Cache = new();

    public static ClassificationData Load(DataConfig config)
    {
        var key = $"{config.Kind}|{config.Path}";
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<ClassificationData>(() => config.Kind switch
        {
            "synthetic" => SyntheticClassification.Generate(),
            "fashion-mnist" => FashionMnist.Load(config.Path),
            _ => throw new ArgumentException($"unknown data kind '{config.Kind}' (known: {string.Join(", ", Kinds)})"),
        }));
        try
        {
            return lazy.Value.Take(config.TrainExamples, config.EvalExamples);
        }
        catch
        {
            Cache.TryRemove(key, out _); // a missing package may be installed later in the same process
            throw;
        }
    }
}
