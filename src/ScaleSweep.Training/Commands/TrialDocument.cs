using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// The JSON object a command trial gets on stdin and in <c>$SCALESWEEP_TRIAL</c> (docs/command-trials.md). Every value
/// that has a trials.parquet column carries that column's name; each other swept value its grid key; then the train
/// settings, the base shape, the device and thread count, and <c>rules</c> (<see cref="ParameterizationRules"/>).
/// Its top-level scalars are also the <c>{name}</c> placeholders of <c>model.run</c>.
/// </summary>
public static class TrialDocument
{
    public const string Rules = "rules";

    public static JsonObject For(TrialSpec spec, TrialContext context)
    {
        var model = spec.Model;
        var optim = spec.Optim;
        var doc = new JsonObject
        {
            [ResultColumns.SweepId] = context.SweepId,
            [ResultColumns.TrialKey] = context.TrialKey,
            [ResultColumns.Attempt] = context.Attempt,
            [ResultColumns.Parameterization] = spec.Parameterization,
            [ResultColumns.Model] = model.Kind,
            [ResultColumns.Optimizer] = optim.Optimizer,
            [ResultColumns.Width] = model.Width,
            [ResultColumns.Depth] = model.Depth,
            [ResultColumns.Experts] = model.Experts,
            [ResultColumns.ExpertWidth] = model.ExpertWidth,
            [ResultColumns.TopK] = model.TopK,
            [ResultColumns.Lr] = optim.Lr,
            [ResultColumns.Log2Lr] = Math.Log2(optim.Lr),
            [ResultColumns.Seed] = spec.Seed,
        };
        foreach (var (key, value) in spec.Extra) doc[key] = value;
        // The train settings a program needs to honour the sweep (a swept one equals its extra value above).
        doc[ResultColumns.Steps] = optim.Steps;
        doc["batch"] = optim.Batch;
        doc["eval_every"] = optim.EvalEvery;
        doc["log_every"] = optim.LogEvery;
        doc["weight_decay"] = optim.WeightDecay;
        doc["momentum"] = optim.Momentum;
        doc["beta1"] = optim.Beta1;
        doc["beta2"] = optim.Beta2;
        doc["eps"] = optim.Eps;
        doc["schedule"] = optim.Schedule;
        doc["warmup_steps"] = optim.WarmupSteps;
        doc["divergence_factor"] = optim.DivergenceFactor;
        doc["heads"] = model.Heads;
        doc["context"] = model.Context;
        doc["base_width"] = spec.Base.Width;
        doc["base_depth"] = spec.Base.Depth;
        doc["base_experts"] = spec.Base.Experts;
        doc["device"] = spec.Device;
        doc["threads"] = spec.Threads;
        doc[Rules] = ParameterizationRules.For(spec);
        return doc;
    }

    /// <summary>The placeholder names a document offers: its top-level scalars.</summary>
    public static IEnumerable<string> PlaceholderNames(JsonObject doc) =>
        doc.Where(p => p.Value is JsonValue).Select(p => p.Key);
}
