using System.CommandLine;
using System.Globalization;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;
using ScaleSweep.Training.Models;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// The flags that describe one trial (train, coord-check). They are written as a one-trial sweep spec and read by
/// the same code as <c>validate</c>, so a trial from flags follows the spec's rules and defaults exactly; each
/// problem is reported under the flag that set the field. Flags without a default here take the spec's default.
/// </summary>
public sealed class TrialFlags
{
    private readonly List<Binding> _bindings = [];

    /// <summary>The model kinds a trial from flags can train (noop only stands in for training inside a sweep).</summary>
    private static readonly string[] Trainable = [.. ModelFactory.Buildable.Select(k => k.Name)];

    public TrialFlags()
    {
        Model = Bind(new Option<string>("--model") { Description = $"Model kind: {string.Join(" | ", Trainable)}.", DefaultValueFactory = _ => ModelKind.Mlp.Name }, "model.kind");
        Width = Bind(new Option<int>("--width") { Description = "Hidden width.", DefaultValueFactory = _ => 256 }, "model.width");
        Depth = Bind(new Option<int>("--depth") { Description = "Hidden layers (MLP) or residual blocks.", DefaultValueFactory = _ => 2 }, "model.depth");
        Bind(new Option<string>("--activation") { Description = $"{string.Join(" | ", ActivationKind.Names)} (default relu)." }, "model.activation");
        Bind(new Option<bool>("--no-bias") { Description = "Linear layers without bias." }, "model.bias", set => set ? false : null);
        Bind(new Option<string>("--param") { Description = $"Parameterization: {string.Join(" | ", BuiltInTables.Names)}.", DefaultValueFactory = _ => "mup" }, "parameterizations", value => new[] { value });
        Bind(new Option<int>("--heads") { Description = "Attention heads (transformer, moe; required for transformer)." }, "model.heads");
        Bind(new Option<int>("--context") { Description = "Context length in bytes (transformer, moe; default 64)." }, "model.context");
        Bind(new Option<int>("--num-experts") { Description = "Experts M (moe, required)." }, "model.experts");
        Bind(new Option<int>("--expert-width") { Description = "Expert hidden width N_e (moe; default the width)." }, "model.expert_width");
        Bind(new Option<int>("--top-k") { Description = "Active experts K (moe; default 1)." }, "model.top_k");
        Bind(new Option<string>("--aggregation") { Description = $"{string.Join(" | ", MixtureAggregation.Names)} over the K active experts (moe; default sum)." }, "model.aggregation");
        Bind(new Option<int>("--block-depth") { Description = "Layers per residual block (resnet, conv-resnet; default 1)." }, "model.block_depth");
        Bind(new Option<bool>("--layer-norm") { Description = "Pre-LayerNorm in residual blocks (resnet)." }, "model.layer_norm", set => set ? true : null);
        Bind(new Option<int>("--base-width") { Description = "Base width of the parameterization (default: the smallest width, as in a sweep)." }, "base.width");
        BaseDepth = Bind(new Option<int>("--base-depth") { Description = "Base depth (default: the smallest depth)." }, "base.depth");
        Bind(new Option<double>("--input-mult") { Description = "μP input multiplier (default 1)." }, "parameterization_options.input_mult");
        Bind(new Option<double>("--output-mult") { Description = "μP output (readout) multiplier (default 1)." }, "parameterization_options.output_mult");
        Bind(new Option<bool>("--zero-readout") { Description = "Zero-initialise the readout." }, "parameterization_options.zero_readout", set => set ? true : null);
        Bind(new Option<string>("--optimizer") { Description = $"{string.Join(" | ", OptimizerKind.Names)} (default adam)." }, "train.optimizer");
        Lr = Bind(new Option<double>("--lr") { Description = "Base learning rate.", DefaultValueFactory = _ => 1e-3 }, "grid.lr", value => new[] { value });
        Bind(new Option<double>("--weight-decay") { Description = "Base weight decay (default 0)." }, "train.weight_decay");
        Steps = Bind(new Option<int>("--steps") { Description = $"Optimizer steps (default {SpecDefaults.Steps})." }, "train.steps");
        Batch = Bind(new Option<int>("--batch") { Description = $"Batch size (default {SpecDefaults.Batch})." }, "train.batch");
        Bind(new Option<int>("--eval-every") { Description = $"Evaluate every N steps and at the end (default {SpecDefaults.EvalEvery})." }, "train.eval_every");
        Bind(new Option<string>("--schedule") { Description = $"{string.Join(" | ", ScheduleKind.Names)} (default constant)." }, "train.schedule");
        Data = Bind(new Option<string>("--data") { Description = $"{string.Join(" | ", DataKind.Names)} (default: text for transformer and moe, synthetic otherwise)." }, "data.kind");
        Bind(new Option<string>("--data-path") { Description = "The data set's folder or text file (default: the Debian package's)." }, "data.path");
        Bind(new Option<int>("--train-examples") { Description = "Use only the first N training examples (0 = all)." }, "data.train_examples");
        Bind(new Option<int>("--eval-examples") { Description = "Use only the first N eval examples (0 = all)." }, "data.eval_examples");
        Bind(new Option<int>("--seed") { Description = "Seed for init and batch order (default 0).", DefaultValueFactory = _ => 0 }, "grid.seed", value => new[] { value });
        Bind(new Option<int>("--threads") { Description = "Torch threads (default 1)." }, "resources.threads_per_trial");
    }

    public Option<string> Model { get; }
    public Option<int> Width { get; }
    public Option<int> Depth { get; }
    public Option<int> BaseDepth { get; }
    public Option<double> Lr { get; }
    public Option<int> Steps { get; }
    public Option<int> Batch { get; }
    public Option<string> Data { get; }

    public void AddTo(Command command)
    {
        foreach (var binding in _bindings) command.Options.Add(binding.Option);
    }

    /// <summary>The one trial the flags describe; every problem is a <see cref="UsageException"/> naming its flag.</summary>
    public TrialSpec ToTrial(ParseResult parse) => ToSweep(parse, sweep: null).Expand().Trials.Single().Spec;

    /// <summary>
    /// The sweep the flags describe, with <paramref name="sweep"/>'s grid key varied over its values (the coordinate
    /// check's scales); that flag is named in problems with those values.
    /// </summary>
    public SweepSpec ToSweep(ParseResult parse, (string Key, string Flag, IReadOnlyList<int> Values)? sweep)
    {
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var binding in _bindings)
        {
            if (parse.GetResult(binding.Option) is not { } result) continue;
            // A flag's own default gives way to the swept values; an explicit one is reported as fixed and swept.
            if (result.Implicit && sweep is { } s && binding.Path == $"model.{s.Key}") continue;
            if (binding.Value(parse) is { } value) fields[binding.Path] = value;
        }
        if (!fields.ContainsKey("data.kind"))
        {
            var kind = ModelKind.TryParse(fields["model.kind"] as string, out var model) ? model : ModelKind.Mlp;
            fields["data.kind"] = kind.DefaultData.Name;
        }
        if (sweep is { } axis) fields[$"grid.{axis.Key}"] = axis.Values.ToArray();
        fields["name"] = parse.CommandResult.Command.Name;
        if (ModelKind.TryParse(fields["model.kind"] as string, out var chosen) && !Trainable.Contains(chosen.Name))
            throw new UsageException($"--model: {chosen.Name} trains nothing (use: {string.Join(", ", Trainable)})");

        try
        {
            return SweepSpecLoader.Parse(SpecYaml.Write(fields), "flags");
        }
        catch (SpecValidationException ex)
        {
            var flags = ex.Errors.Select(e => $"{FlagOf(e.Path, sweep)}: {e.Message}").Distinct();
            throw new UsageException(string.Join(Environment.NewLine + "error: ", flags));
        }
    }

    private string FlagOf(string path, (string Key, string Flag, IReadOnlyList<int> Values)? sweep)
    {
        var field = path.Split('[')[0];
        if (sweep is { } s && field == $"grid.{s.Key}") return s.Flag;
        return _bindings.FirstOrDefault(b => b.Path == field)?.Option.Name ?? path;
    }

    private Option<T> Bind<T>(Option<T> option, string path, Func<T, object?>? toSpec = null)
    {
        _bindings.Add(new Binding(option, path, parse => parse.GetValue(option) is { } value ? (toSpec is null ? value : toSpec(value)) : null));
        return option;
    }

    /// <summary>A flag, the spec field it sets, and its value as the spec writes it (null: leave the field out).</summary>
    private sealed record Binding(Option Option, string Path, Func<ParseResult, object?> Value);

    /// <summary>The spec's own defaults, for the help texts.</summary>
    private static class SpecDefaults
    {
        private static readonly OptimConfig Train = SweepSpecLoader.Parse(
            "name: defaults\nmodel: { kind: noop }\ndata: { kind: synthetic }\nparameterizations: [sp]\ngrid: { lr: [1] }\n", "defaults").Train;

        public static int Steps => Train.Steps;
        public static int Batch => Train.Batch;
        public static int EvalEvery => Train.EvalEvery;
    }
}
