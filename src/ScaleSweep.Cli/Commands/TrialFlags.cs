using System.CommandLine;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Optimization;
using ScaleSweep.Training.Parameterizations;

namespace ScaleSweep.Cli.Commands;

/// <summary>The flags that describe one trial (train, coord-check), and their validation into a TrialSpec.</summary>
public sealed class TrialFlags
{
    public Option<string> Model { get; } = new("--model") { Description = $"Model kind: {string.Join(" | ", ModelFactory.Kinds)}.", DefaultValueFactory = _ => "mlp" };
    public Option<int> Width { get; } = new("--width") { Description = "Hidden width.", DefaultValueFactory = _ => 256 };
    public Option<int> Depth { get; } = new("--depth") { Description = "Hidden layers (MLP).", DefaultValueFactory = _ => 2 };
    public Option<string> Activation { get; } = new("--activation") { Description = "relu | tanh | gelu | abs | linear.", DefaultValueFactory = _ => "relu" };
    public Option<bool> NoBias { get; } = new("--no-bias") { Description = "Linear layers without bias." };
    public Option<string> Param { get; } = new("--param") { Description = $"Parameterization: {string.Join(" | ", ParameterizationCatalog.Names)}.", DefaultValueFactory = _ => "mup" };
    public Option<int> Heads { get; } = new("--heads") { Description = "Attention heads (transformer, moe; 0 = 4)." };
    public Option<int> Context { get; } = new("--context") { Description = "Context length in bytes (transformer, moe; 0 = 64)." };
    public Option<int> NumExperts { get; } = new("--num-experts") { Description = "Experts M (moe; 0 = 4)." };
    public Option<int> ExpertWidth { get; } = new("--expert-width") { Description = "Expert hidden width N_e (moe; 0 = the width)." };
    public Option<int> TopK { get; } = new("--top-k") { Description = "Active experts K (moe; 0 = min(2, M))." };
    public Option<string> Aggregation { get; } = new("--aggregation") { Description = "sum | mean over the K active experts (moe).", DefaultValueFactory = _ => "sum" };
    public Option<int> BlockDepth { get; } = new("--block-depth") { Description = "Layers per residual block (resnet: 1 or 2).", DefaultValueFactory = _ => 1 };
    public Option<bool> LayerNorm { get; } = new("--layer-norm") { Description = "Pre-LayerNorm in residual blocks (resnet)." };
    public Option<int?> BaseWidth { get; } = new("--base-width") { Description = "Base width for μP multipliers (default: 64)." };
    public Option<int?> BaseDepth { get; } = new("--base-depth") { Description = "Base depth (default: the depth)." };
    public Option<double> InputMult { get; } = new("--input-mult") { Description = "μP input multiplier.", DefaultValueFactory = _ => 1.0 };
    public Option<double> OutputMult { get; } = new("--output-mult") { Description = "μP output (readout) multiplier.", DefaultValueFactory = _ => 1.0 };
    public Option<bool> ZeroReadout { get; } = new("--zero-readout") { Description = "Zero-initialise the readout." };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "sgd | adam | adamw.", DefaultValueFactory = _ => "adam" };
    public Option<double> Lr { get; } = new("--lr") { Description = "Base learning rate.", DefaultValueFactory = _ => 1e-3 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Base weight decay.", DefaultValueFactory = _ => 0.0 };
    public Option<int> Steps { get; } = new("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 300 };
    public Option<int> Batch { get; } = new("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Evaluate every N steps (and at the end).", DefaultValueFactory = _ => 100 };
    public Option<string> Schedule { get; } = new("--schedule") { Description = "constant | cosine | linear.", DefaultValueFactory = _ => "constant" };
    public Option<string> Data { get; } = new("--data") { Description = $"{string.Join(" | ", DataSets.Kinds)} (text: the King James Bible, bytes).", DefaultValueFactory = _ => "synthetic" };
    public Option<string?> DataPath { get; } = new("--data-path") { Description = "Folder with the data set's files (default: the Debian package's)." };
    public Option<int> TrainExamples { get; } = new("--train-examples") { Description = "Use only the first N training examples (0 = all).", DefaultValueFactory = _ => 0 };
    public Option<int> EvalExamples { get; } = new("--eval-examples") { Description = "Use only the first N eval examples (0 = all).", DefaultValueFactory = _ => 0 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for init and batch order.", DefaultValueFactory = _ => 0 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Torch threads.", DefaultValueFactory = _ => 1 };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            Model, Width, Depth, Activation, NoBias, Param, Heads, Context, NumExperts, ExpertWidth, TopK, Aggregation, BlockDepth, LayerNorm, BaseWidth, BaseDepth, InputMult, OutputMult, ZeroReadout,
            Optimizer, Lr, WeightDecay, Steps, Batch, EvalEvery, Schedule, Data, DataPath, TrainExamples, EvalExamples, Seed, Threads,
        })
            command.Options.Add(option);
    }

    /// <summary>Builds the trial the flags describe; every user mistake is a <see cref="UsageException"/> naming its flag.</summary>
    public TrialSpec ToSpec(ParseResult parse)
    {
        var errors = new List<string>();
        string OneOf(Option<string> option, IEnumerable<string> known)
        {
            var value = parse.GetValue(option)!;
            if (!known.Contains(value)) errors.Add($"{option.Name}: unknown value '{value}' (known: {string.Join(", ", known)})");
            return value;
        }
        int Positive(Option<int> option)
        {
            var value = parse.GetValue(option);
            if (value <= 0) errors.Add($"{option.Name}: must be a positive integer, got {value}");
            return value;
        }
        double PositiveReal(Option<double> option)
        {
            var value = parse.GetValue(option);
            if (!(value > 0) || !double.IsFinite(value)) errors.Add($"{option.Name}: must be a positive number, got {value}");
            return value;
        }

        int NonNegative(Option<int> option)
        {
            var value = parse.GetValue(option);
            if (value < 0) errors.Add($"{option.Name}: must be ≥ 0, got {value}");
            return value;
        }
        var model = new ModelConfig(OneOf(Model, ModelFactory.Kinds), Positive(Width), Positive(Depth),
            OneOf(Activation, Activations.Names), !parse.GetValue(NoBias))
        {
            Heads = NonNegative(Heads),
            Context = NonNegative(Context),
            Experts = NonNegative(NumExperts),
            ExpertWidth = NonNegative(ExpertWidth),
            TopK = NonNegative(TopK),
            Aggregation = OneOf(Aggregation, ["sum", "mean"]),
            BlockDepth = Positive(BlockDepth),
            LayerNorm = parse.GetValue(LayerNorm),
        };
        if (model.Heads > 0 && model.Width % model.Heads != 0) errors.Add($"{Width.Name}: {model.Width} is not a multiple of --heads {model.Heads}");
        if (model.TopK > 0 && model.Experts > 0 && model.TopK > model.Experts) errors.Add($"{TopK.Name}: {model.TopK} exceeds --num-experts {model.Experts}");
        var param = OneOf(Param, ParameterizationCatalog.Names);
        var optim = new OptimConfig(OneOf(Optimizer, ScaledOptimizer.Names), PositiveReal(Lr), Positive(Steps), Positive(Batch),
            parse.GetValue(EvalEvery))
        {
            WeightDecay = parse.GetValue(WeightDecay),
            Schedule = OneOf(Schedule, LrSchedule.Names),
        };
        if (optim.WeightDecay < 0) errors.Add($"{WeightDecay.Name}: must be ≥ 0");
        var data = new DataConfig(OneOf(Data, DataSets.Kinds), parse.GetValue(DataPath))
        {
            TrainExamples = parse.GetValue(TrainExamples),
            EvalExamples = parse.GetValue(EvalExamples),
        };
        if (data.TrainExamples < 0) errors.Add($"{TrainExamples.Name}: must be ≥ 0");
        if (data.EvalExamples < 0) errors.Add($"{EvalExamples.Name}: must be ≥ 0");
        if (data.Path is { } path && !Directory.Exists(path)) errors.Add($"{DataPath.Name}: folder '{path}' does not exist");
        var baseShape = new BaseShape(parse.GetValue(BaseWidth) ?? 64, parse.GetValue(BaseDepth) ?? model.Depth);
        if (baseShape.Width <= 0) errors.Add($"{BaseWidth.Name}: must be a positive integer");
        if (baseShape.Depth <= 0) errors.Add($"{BaseDepth.Name}: must be a positive integer");
        var options = new ParameterizationOptions
        {
            InputMult = PositiveReal(InputMult),
            OutputMult = PositiveReal(OutputMult),
            ZeroReadout = parse.GetValue(ZeroReadout),
        };
        var threads = Positive(Threads);
        if (errors.Count > 0) throw new UsageException(string.Join(Environment.NewLine + "error: ", errors));
        return new TrialSpec(param, model, data, optim, baseShape, parse.GetValue(Seed), options) { Threads = threads };
    }
}
