using System.Text.Json.Serialization;
using System.Collections.Immutable;
using ScaleSweep.Abstractions.Parameterizations;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// The full configuration of one trial: everything that influences its result. Its <see cref="TrialKey"/>
/// is derived from all of it, so two trials with the same spec are the same trial.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec(
    [property: Id(0)] string Parameterization,
    [property: Id(1)] ModelConfig Model,
    [property: Id(2)] DataConfig Data,
    [property: Id(3)] OptimConfig Optim,
    [property: Id(4)] BaseShape Base,
    [property: Id(5)] int Seed,
    [property: Id(6)] ParameterizationOptions Options)
{
    /// <summary>Swept values that have no column of their own (sigma_w2, dropout, ...), by column name.</summary>
    [Id(7)] public ImmutableSortedDictionary<string, double> Extra { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>Device kind the trial asks for: "cpu" or "cuda".</summary>
    [Id(8)] public string Device { get; init; } = "cpu";

    /// <summary>Torch intra-op threads for this trial.</summary>
    [Id(9)] public int Threads { get; init; } = 1;

    /// <summary>A user-defined parameterization table (YAML), when <see cref="Parameterization"/> names one.</summary>
    [Id(10)] public ParameterizationTable? CustomTable { get; init; }
}

/// <summary>Model architecture. Width is the scaled hidden size; depth the number of hidden layers / blocks.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelConfig(
    [property: Id(0)] string Kind,
    [property: Id(1)] int Width,
    [property: Id(2)] int Depth,
    [property: Id(3)] string Activation = "relu",
    [property: Id(4)] bool Bias = true)
{
    [Id(5)] public int Experts { get; init; }
    [Id(6)] public int ExpertWidth { get; init; }
    [Id(7)] public int TopK { get; init; }
    [Id(8)] public int Heads { get; init; }
    [Id(9)] public int Context { get; init; }
    /// <summary>For the <c>noop</c> model: milliseconds the trial waits instead of training.</summary>
    [Id(10)] public int WorkMs { get; init; }
    [Id(11)] public double Dropout { get; init; }
    [Id(12)] public int BlockDepth { get; init; } = 1;
    [Id(13)] public bool LayerNorm { get; init; }
    [Id(14)] public double FfnRatio { get; init; } = 4;
    [Id(15)] public string Aggregation { get; init; } = "sum";
    [Id(16)] public double LoadBalance { get; init; }
    [Id(17)] public double SigmaW2 { get; init; }
    [Id(18)] public double SigmaB2 { get; init; }
    // Fields added after keys were published are left out of a trial's key while unset, so keys stay stable.
    /// <summary>For the <c>noop</c> model: a file a trial waits for before it finishes (null: no gate).</summary>
    [Id(19), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public string? Gate { get; init; }
    /// <summary>For the <c>noop</c> model: how many trials may finish before <see cref="Gate"/> exists.</summary>
    [Id(20), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int GatePasses { get; init; }
    /// <summary>For the <c>noop</c> model: how far the fake loss's optimum moves per doubling of width over the base width, in log2 LR.</summary>
    [Id(21), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public double OptimumSlope { get; init; }
    /// <summary>For the <c>command</c> model: the program to run and how (null for every other kind).</summary>
    [Id(22), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public CommandConfig? Command { get; init; }
}

/// <summary>Data set: synthetic (generated from the seed), fashion-mnist, or text.</summary>
[GenerateSerializer, Immutable]
public sealed record DataConfig(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Path = null)
{
    /// <summary>Training examples to use (0 = all the set has).</summary>
    [Id(2)] public int TrainExamples { get; init; }
    /// <summary>Evaluation examples to use (0 = all the set has).</summary>
    [Id(3)] public int EvalExamples { get; init; }
}

/// <summary>Optimizer and schedule.</summary>
[GenerateSerializer, Immutable]
public sealed record OptimConfig(
    [property: Id(0)] string Optimizer,
    [property: Id(1)] double Lr,
    [property: Id(2)] int Steps,
    [property: Id(3)] int Batch,
    [property: Id(4)] int EvalEvery = 50)
{
    [Id(5)] public double WeightDecay { get; init; }
    [Id(6)] public double Momentum { get; init; } = 0.9;
    [Id(7)] public double Beta1 { get; init; } = 0.9;
    [Id(8)] public double Beta2 { get; init; } = 0.999;
    [Id(9)] public double Eps { get; init; } = 1e-8;
    /// <summary>constant | cosine | linear (decay to zero after warmup).</summary>
    [Id(10)] public string Schedule { get; init; } = "constant";
    [Id(11)] public int WarmupSteps { get; init; }
    /// <summary>A trial whose train loss exceeds this multiple of its initial loss is diverged.</summary>
    [Id(12)] public double DivergenceFactor { get; init; } = 10;
    /// <summary>Curve points are recorded every this many steps.</summary>
    [Id(13)] public int LogEvery { get; init; } = 10;
}

/// <summary>Base sizes of each scaled dimension; multipliers are target / base.</summary>
[GenerateSerializer, Immutable]
public sealed record BaseShape(
    [property: Id(0)] int Width,
    [property: Id(1)] int Depth,
    [property: Id(2)] int Experts = 1);

/// <summary>Tunable knobs of a parameterization (the mup library's multipliers and choices).</summary>
[GenerateSerializer, Immutable]
public sealed record ParameterizationOptions
{
    [Id(0)] public double InputMult { get; init; } = 1;
    [Id(1)] public double OutputMult { get; init; } = 1;
    [Id(2)] public bool ZeroReadout { get; init; }
    /// <summary>Init variance scale σ_w² (NTK / mean-field); 0 = the parameterization's default.</summary>
    [Id(3)] public double SigmaW2 { get; init; }
    /// <summary>Depth-μP / CompleteP residual exponent α (0 = the parameterization's default).</summary>
    [Id(4)] public double Alpha { get; init; }
    /// <summary>Bias init variance σ_b² of tables with a σ knob (gaussian: b ~ N(0, σ_b²), so 0 is zero biases); others ignore it.</summary>
    [Id(5)] public double SigmaB2 { get; init; }

    public static ParameterizationOptions Default { get; } = new();
}
