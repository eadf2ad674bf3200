using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using static ScaleSweep.Abstractions.Specs.ValueRule;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Readers for the plain sections of a spec. Each starts from the record's own defaults (so defaults live
/// in one place: the records) and overrides what the spec sets.
/// </summary>
internal static class SpecSections
{
    /// <summary>train.steps and train.batch when the spec sets neither (OptimConfig has no defaults for them).</summary>
    public const int DefaultSteps = 300;
    public const int DefaultBatch = 128;

    private static readonly ValueRule MaxTrialsRule =
        new(true, v => v is >= 1 and <= 1_000_000, "must be an integer from 1 to 1000000");

    public static ModelConfig Model(MappingReader? r)
    {
        if (r is null) return new ModelConfig("", 0, 0);
        var kind = r.Choice("kind", ModelKind.Names, required: true) ?? "";
        var m = new ModelConfig(kind, r.Int("width", PositiveInt) ?? 0, r.Int("depth", PositiveInt) ?? 0);
        m = m with
        {
            Activation = r.Choice("activation", ActivationKind.Names) ?? m.Activation,
            Bias = r.Bool("bias") ?? m.Bias,
            Experts = r.Int("experts", PositiveInt) ?? m.Experts,
            ExpertWidth = r.Int("expert_width", PositiveInt) ?? m.ExpertWidth,
            TopK = r.Int("top_k", PositiveInt) ?? m.TopK,
            Heads = r.Int("heads", PositiveInt) ?? m.Heads,
            Context = r.Int("context", PositiveInt) ?? m.Context,
            WorkMs = r.Int("work_ms", NonNegativeInt) ?? m.WorkMs,
            Gate = r.String("gate") ?? m.Gate,
            GatePasses = r.Int("gate_passes", NonNegativeInt) ?? m.GatePasses,
            OptimumSlope = r.Number("optimum_slope", Finite) ?? m.OptimumSlope,
            Dropout = r.Number("dropout", Fraction) ?? m.Dropout,
            BlockDepth = r.Int("block_depth", PositiveInt) ?? m.BlockDepth,
            LayerNorm = r.Bool("layer_norm") ?? m.LayerNorm,
            FfnRatio = r.Number("ffn_ratio", Positive) ?? m.FfnRatio,
            Aggregation = r.Choice("aggregation", MixtureAggregation.Names) ?? m.Aggregation,
            LoadBalance = r.Number("load_balance", NonNegative) ?? m.LoadBalance,
            SigmaW2 = r.Number("sigma_w2", Positive) ?? m.SigmaW2,
            SigmaB2 = r.Number("sigma_b2", NonNegative) ?? m.SigmaB2,
            Command = CommandSection.Read(r),
        };
        r.RejectUnknown();
        return m;
    }

    public static DataConfig Data(MappingReader? r)
    {
        if (r is null) return new DataConfig("");
        var d = new DataConfig(r.Choice("kind", DataKind.Names, required: true) ?? "", r.String("path"));
        d = d with
        {
            TrainExamples = r.Int("train_examples", NonNegativeInt) ?? d.TrainExamples,
            EvalExamples = r.Int("eval_examples", NonNegativeInt) ?? d.EvalExamples,
        };
        r.RejectUnknown();
        return d;
    }

    /// <summary>The optimizer template; its Lr stays 0 because lr is always swept.</summary>
    public static OptimConfig Train(MappingReader? r)
    {
        var o = new OptimConfig("adam", 0, DefaultSteps, DefaultBatch);
        if (r is null) return o;
        o = o with
        {
            Optimizer = r.Choice("optimizer", OptimizerKind.Names) ?? o.Optimizer,
            Steps = r.Int("steps", PositiveInt) ?? o.Steps,
            Batch = r.Int("batch", PositiveInt) ?? o.Batch,
            EvalEvery = r.Int("eval_every", PositiveInt) ?? o.EvalEvery,
            WeightDecay = r.Number("weight_decay", NonNegative) ?? o.WeightDecay,
            Momentum = r.Number("momentum", Fraction) ?? o.Momentum,
            Beta1 = r.Number("beta1", Fraction) ?? o.Beta1,
            Beta2 = r.Number("beta2", Fraction) ?? o.Beta2,
            Eps = r.Number("eps", Positive) ?? o.Eps,
            Schedule = r.Choice("schedule", ScheduleKind.Names) ?? o.Schedule,
            WarmupSteps = r.Int("warmup_steps", NonNegativeInt) ?? o.WarmupSteps,
            DivergenceFactor = r.Number("divergence_factor", AboveOne) ?? o.DivergenceFactor,
            LogEvery = r.Int("log_every", PositiveInt) ?? o.LogEvery,
        };
        r.RejectUnknown();
        return o;
    }

    public static ParameterizationOptions Options(MappingReader? r)
    {
        var o = ParameterizationOptions.Default;
        if (r is null) return o;
        o = o with
        {
            InputMult = r.Number("input_mult", Positive) ?? o.InputMult,
            OutputMult = r.Number("output_mult", Positive) ?? o.OutputMult,
            ZeroReadout = r.Bool("zero_readout") ?? o.ZeroReadout,
            SigmaW2 = r.Number("sigma_w2", Positive) ?? o.SigmaW2,
            Alpha = r.Number("alpha", NonNegative) ?? o.Alpha,
        };
        r.RejectUnknown();
        return o;
    }

    /// <summary>The base sizes the spec sets; the rest are filled from the grid later.</summary>
    public static (int? Width, int? Depth, int? Experts) Base(MappingReader? r)
    {
        if (r is null) return default;
        var shape = (r.Int("width", PositiveInt), r.Int("depth", PositiveInt), r.Int("experts", PositiveInt));
        r.RejectUnknown();
        return shape;
    }

    public static ResourceSettings Resources(MappingReader? r)
    {
        var s = new ResourceSettings();
        if (r is null) return s;
        s = s with
        {
            Device = r.Choice("device", DeviceKind.Names) ?? s.Device,
            ThreadsPerTrial = r.Int("threads_per_trial", PositiveInt) ?? s.ThreadsPerTrial,
            MaxAttempts = r.Int("max_attempts", PositiveInt) ?? s.MaxAttempts,
            Pack = Pack(r) ?? s.Pack,
        };
        r.RejectUnknown();
        return s;
    }

    /// <summary><c>resources.pack</c>: <c>auto</c> (<see cref="TrialPacking.Auto"/>) or an integer ≥ 1.</summary>
    private static int? Pack(MappingReader r)
    {
        var value = r.Take("pack");
        if (value is null) return null;
        if (value is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "auto" }) return TrialPacking.Auto;
        if (PositiveInt.TryRead(value, out var n)) return (int)n;
        r.Diag.Error(r.PathOf("pack"), value, "must be auto or an integer ≥ 1");
        return null;
    }

    /// <summary>
    /// The axis as written (checked against the grid later) and the transfer settings. A spec that sets
    /// <c>tolerance_log2</c> but not <c>tolerance_loss</c> is judged by the spread alone, as before the penalty
    /// existed; otherwise the penalty decides (default tolerance 1%).
    /// </summary>
    public static (string? Axis, TransferSettings Settings) Transfer(MappingReader? r)
    {
        const double defaultTolerance = 1.0;
        var defaults = new TransferSettings("width", defaultTolerance) { ToleranceLoss = TransferSettings.DefaultToleranceLoss };
        if (r is null) return (null, defaults);
        var axis = r.String("axis");
        var toleranceLog2 = r.Number("tolerance_log2", Positive);
        var toleranceLoss = r.Number("tolerance_loss", Positive);
        var target = r.Number("target", Positive);
        r.RejectUnknown();
        return (axis, defaults with
        {
            ToleranceLog2 = toleranceLog2 ?? defaultTolerance,
            ToleranceLoss = toleranceLoss ?? (toleranceLog2 is null ? TransferSettings.DefaultToleranceLoss : null),
            Target = target,
        });
    }

    public static int Limits(MappingReader? r)
    {
        if (r is null) return SweepSpec.DefaultMaxTrials;
        var max = r.Int("max_trials", MaxTrialsRule) ?? SweepSpec.DefaultMaxTrials;
        r.RejectUnknown();
        return max;
    }
}
