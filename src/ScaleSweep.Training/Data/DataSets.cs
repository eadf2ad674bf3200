using System.Collections.Concurrent;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;

namespace ScaleSweep.Training.Data;

/// <summary>Loads a trial's data set once per process and shares it between trials.</summary>
public static class DataSets
{
    private static readonly ConcurrentDictionary<string, Lazy<ClassificationData>> Classification = new();
    private static readonly ConcurrentDictionary<string, Lazy<TextCorpus>> Text = new();

    /// <summary>
    /// The data a trial trains on. Text is the King James Bible (or the file at the data path), cut into
    /// windows of the model's context.
    /// </summary>
    public static ITrainingData Open(DataConfig data, ModelConfig model) => DataKind.Get(data.Kind) == DataKind.Text
        ? Cached(Text, data, () => data.Path is { } path
                ? TextCorpus.Split(Path.GetFileName(path), File.ReadAllBytes(path))
                : TextCorpus.Split("kjv", KingJamesBible.Read()))
            .Windows(TransformerSettings.ContextOf(model), data.TrainExamples, data.EvalExamples)
        : Load(data);

    /// <summary>A feature data set (<see cref="DataShape.Features"/>: synthetic, fashion-mnist).</summary>
    public static ClassificationData Load(DataConfig config)
    {
        var kind = DataKind.Get(config.Kind);
        var data = kind == DataKind.Synthetic ? Cached(Classification, config, SyntheticClassification.Generate)
            : kind == DataKind.FashionMnist ? Cached(Classification, config, () => FashionMnist.Load(config.Path))
            : throw new ArgumentException($"'{kind.Name}' is token data: open it with DataSets.Open(data, model)");
        return data.Take(config.TrainExamples, config.EvalExamples);
    }

    private static T Cached<T>(ConcurrentDictionary<string, Lazy<T>> cache, DataConfig config, Func<T> load)
    {
        var key = $"{config.Kind}|{config.Path}";
        var lazy = cache.GetOrAdd(key, _ => new Lazy<T>(load));
        try
        {
            return lazy.Value;
        }
        catch
        {
            cache.TryRemove(key, out _); // a missing package may be installed later in the same process
            throw;
        }
    }
}
