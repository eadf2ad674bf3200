using System.Collections.Concurrent;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Models;

namespace ScaleSweep.Training.Data;

/// <summary>Loads a trial's data set once per process and shares it between trials.</summary>
public static class DataSets
{
    public static readonly IReadOnlyList<string> Kinds = ["synthetic", "fashion-mnist", "text"];

    private static readonly ConcurrentDictionary<string, Lazy<ClassificationData>> Classification = new();
    private static readonly ConcurrentDictionary<string, Lazy<TextCorpus>> Text = new();

    /// <summary>
    /// The data a trial trains on. Text is the King James Bible (or the file at the data path), cut into
    /// windows of the model's context.
    /// </summary>
    public static ITrainingData Open(DataConfig data, ModelConfig model) => data.Kind switch
    {
        "text" => Cached(Text, data, () => data.Path is { } path
                ? TextCorpus.Split(Path.GetFileName(path), File.ReadAllBytes(path))
                : TextCorpus.Split("kjv", KingJamesBible.Read()))
            .Windows(TransformerSettings.ContextOf(model), data.TrainExamples, data.EvalExamples),
        _ => Load(data),
    };

    /// <summary>A classification data set (synthetic, fashion-mnist).</summary>
    public static ClassificationData Load(DataConfig config) => (config.Kind switch
    {
        "synthetic" => Cached(Classification, config, SyntheticClassification.Generate),
        "fashion-mnist" => Cached(Classification, config, () => FashionMnist.Load(config.Path)),
        "text" => throw new ArgumentException("'text' is token data: open it with DataSets.Open(data, model)"),
        _ => throw new ArgumentException($"unknown data kind '{config.Kind}' (known: {string.Join(", ", Kinds)})"),
    }).Take(config.TrainExamples, config.EvalExamples);

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
