using ScaleSweep.Abstractions.Specs;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary>Each malformed spec is rejected with a validation error at the right path and line, never a crash.</summary>
public sealed class MalformedSpecTests
{
    private const string Transformer = "model: { kind: transformer, depth: 2, heads: 3 }";
    private const string Moe = "model: { kind: moe, depth: 2, experts: 4, top_k: 8 }";

    private sealed record Case(string Name, string Yaml, string Path, long Line, string? MessagePart = null, SpecMode Mode = SpecMode.Embedded);

    private static readonly Case[] All =
    [
        // YAML syntax
        new("unclosed flow sequence", With(7, "  width: [64, 128"), "", 7, "syntax error"),
        new("bad indentation", With(9, "    seed: [0, 1]\n  oops"), "", 9, "syntax error"),
        new("tab indentation", With(9, "\tseed: [0, 1]"), "", 9, "syntax error"),
        new("two documents", Plus("---", "name: other"), "", 13, "one YAML document"),
        new("root is a list", "- a\n- b\n", "", 1, "mapping"),
        new("empty spec", "", "", 0, "empty"),
        new("duplicate YAML key", With(9, "  seed: [0]\n  seed: [1]"), "", 10, "Duplicate key"),
        new("unclosed quote", With(1, "name: 'abc"), "", 1, "syntax error"),
        new("unknown anchor", With(9, "  seed: *seeds"), "", 9),
        // unknown fields, with and without suggestions
        new("misspelt model field", With(2, "model: { kind: mlp, depth: 3, widht: 64 }"), "model.widht", 2, "did you mean 'width'?"),
        new("misspelt top-level field", Plus("outptu: results/x"), "outptu", 12, "did you mean 'output'?"),
        new("unknown field lists allowed", With(3, "data: { kind: synthetic, flavour: 3 }"), "data.flavour", 3, "allowed:"),
        new("misspelt grid key", With(9, "  sede: [0, 1]"), "grid.sede", 9, "did you mean 'seed'?"),
        new("unknown role in table", With(5, "parameterizations: [sp, {name: t, roles: {input: {init_std: 1}, hidden: {init_std: 1}, output: {init_std: 1}, bias: {init_std: 0}, hiden: {init_std: 1}}}]"),
            "parameterizations[1].roles.hiden", 5, "did you mean 'hidden'?"),
        // unknown values
        new("unknown model kind", With(2, "model: { kind: mpl, depth: 3 }"), "model.kind", 2, "did you mean 'mlp'?"),
        new("unknown data kind", With(3, "data: { kind: imagenet }"), "data.kind", 3, "unknown value 'imagenet'"),
        new("unknown optimizer", With(4, "train: { optimizer: adma }"), "train.optimizer", 4, "did you mean 'adam'?"),
        new("unknown schedule", With(4, "train: { schedule: exponential }"), "train.schedule", 4),
        new("unknown activation", With(2, "model: { kind: mlp, depth: 3, activation: relu6 }"), "model.activation", 2),
        new("unknown device", With(11, "resources: { device: gpu }"), "resources.device", 11),
        new("pack of zero", With(11, "resources: { pack: 0 }"), "resources.pack", 11, "auto or an integer ≥ 1"),
        new("pack of a word", With(11, "resources: { pack: many }"), "resources.pack", 11, "auto or an integer ≥ 1"),
        new("fractional pack", With(11, "resources: { pack: 2.5 }"), "resources.pack", 11, "auto or an integer ≥ 1"),
        new("unknown parameterization", With(5, "parameterizations: [sp, mupp]"), "parameterizations[1]", 5, "did you mean 'mup'?"),
        new("duplicate parameterization", With(5, "parameterizations: [sp, mup, sp]"), "parameterizations[2]", 5, "duplicate"),
        new("custom table shadows built-in", With(5, "parameterizations: [{name: mup, roles: {}}]"), "parameterizations[0].name", 5, "built-in"),
        new("custom table missing role", With(5, "parameterizations: [{name: t, roles: {input: {init_std: 1}, hidden: {init_std: 1}, output: {init_std: 1}}}]"),
            "parameterizations[0].roles.bias", 5, "required"),
        new("custom table negative init std", With(5, "parameterizations: [{name: t, roles: {input: {init_std: -1}, hidden: {init_std: 1}, output: {init_std: 1}, bias: {init_std: 0}}}]"),
            "parameterizations[0].roles.input.init_std", 5),
        new("custom table infinite exponent", With(5, "parameterizations: [{name: t, roles: {input: {init_std: {fan_in: .inf}}, hidden: {init_std: 1}, output: {init_std: 1}, bias: {init_std: 0}}}]"),
            "parameterizations[0].roles.input.init_std.fan_in", 5, "finite"),
        // missing required fields
        new("missing name", With(1, "# no name"), "name", 2, "required"),
        new("missing model kind", With(2, "model: { depth: 3 }"), "model.kind", 2, "required"),
        new("missing data", With(3, "# no data"), "data", 1, "required"),
        new("missing lr", With(8, "  # no lr"), "grid.lr", 6, "required"),
        new("missing parameterizations", With(5, "# none"), "parameterizations", 1, "required"),
        new("missing width", With(7, "  # no width"), "model.width", 2, "required"),
        // bad names and paths
        new("name with spaces", With(1, "name: My Sweep"), "name", 1, "[a-z0-9]"),
        new("absolute output in cluster mode", Plus("output: /etc/x"), "output", 12, "relative", SpecMode.Cluster),
        new("escaping output in cluster mode", Plus("output: results/../../x"), "output", 12, "'..'", SpecMode.Cluster),
        new("windows-rooted output in cluster mode", Plus("output: 'C:\\x'"), "output", 12, "relative", SpecMode.Cluster),
        // sizes and numbers
        new("zero width", With(7, "  width: [0, 64]"), "grid.width[0]", 7, "must be a positive integer"),
        new("negative width", With(7, "  width: [64, -128]"), "grid.width[1]", 7, "must be a positive integer"),
        new("fractional width", With(7, "  width: [64.5]"), "grid.width[0]", 7, "must be a positive integer"),
        new("block list width", With(7, "  width:\n    - 64\n    - x"), "grid.width[1]", 9, "must be a positive integer"),
        new("text depth", With(2, "model: { kind: mlp, depth: three }"), "model.depth", 2, "must be a positive integer"),
        new("zero steps", With(4, "train: { steps: 0 }"), "train.steps", 4),
        new("zero lr", With(8, "  lr: [0.001, 0]"), "grid.lr[1]", 8, "must be a positive number"),
        new("negative lr", With(8, "  lr: [-0.1]"), "grid.lr[0]", 8),
        new("nan lr", With(8, "  lr: [.nan]"), "grid.lr[0]", 8),
        new("dropout of one", With(9, "  seed: [0, 1]\n  dropout: [1.5]"), "grid.dropout[0]", 10),
        new("negative examples", With(3, "data: { kind: synthetic, train_examples: -1 }"), "data.train_examples", 3),
        new("zero max trials", Plus("limits: { max_trials: 0 }"), "limits.max_trials", 12),
        new("warmup beyond steps", With(4, "train: { steps: 20, warmup_steps: 30 }"), "train.warmup_steps", 4),
        // grids and ranges
        new("empty grid list", With(7, "  width: []"), "grid.width", 7, "empty"),
        new("empty grid value", With(7, "  width:"), "grid.width", 7, "empty"),
        new("empty grid", "name: x\nmodel: { kind: mlp, width: 8, depth: 2 }\ndata: { kind: synthetic }\nparameterizations: [sp]\ngrid: {}\n", "grid", 5, "empty"),
        new("scalar grid value", With(9, "  seed: 3"), "grid.seed", 9, "list"),
        new("duplicate grid value", With(7, "  width: [64, 128, 256, 256]"), "grid.width[3]", 7, "duplicate value 256"),
        new("reversed range", With(8, "  lr: { log2: { from: -4, to: -14, step: 1 } }"), "grid.lr.log2", 8, "reversed"),
        new("zero step", With(8, "  lr: { log2: { from: -14, to: -4, step: 0 } }"), "grid.lr.log2.step", 8, "positive"),
        new("negative step", With(8, "  lr: { linear: { from: 0.1, to: 0.2, step: -0.1 } }"), "grid.lr.linear.step", 8),
        new("range missing to", With(8, "  lr: { log2: { from: -4, step: 1 } }"), "grid.lr.log2.to", 8, "required"),
        new("both range kinds", With(8, "  lr: { log2: { from: -4, to: -2, step: 1 }, linear: { from: 1, to: 2, step: 1 } }"), "grid.lr", 8, "not both"),
        new("range gives fractional widths", With(7, "  width: { log2: { from: -1, to: 3, step: 1 } }"), "grid.width.log2", 7, "positive integer"),
        new("huge range", With(9, "  seed: { linear: { from: 0, to: 1e12, step: 1 } }"), "grid.seed.linear", 9, "more than limits.max_trials"),
        new("grid over the limit", Plus("limits: { max_trials: 10 }"), "grid", 6, "expands to 60 trials"),
        new("fixed and swept", With(2, "model: { kind: mlp, width: 64, depth: 3 }"), "grid.width", 7, "also fixed at model.width"),
        new("swept batch also fixed", With(9, "  seed: [0, 1]\n  batch: [8, 16]"), "grid.batch", 10, "also fixed at train.batch"),
        // model-kind rules
        new("width not multiple of heads", With(2, Transformer), "grid.width[0]", 7, "not a multiple of heads 3"),
        new("transformer without heads", With(2, "model: { kind: transformer, depth: 2 }"), "model.heads", 2, "required"),
        new("top_k above experts", With(2, Moe), "model.top_k", 2, "exceeds experts 4"),
        new("heads on an mlp", With(2, "model: { kind: mlp, depth: 3, heads: 4 }"), "model.heads", 2, "only used by model kind"),
        new("experts swept on an mlp", With(9, "  seed: [0, 1]\n  experts: [2, 4]"), "grid.experts", 10, "only used by model kind moe"),
        new("a language model on images", With(3, "data: { kind: fashion-mnist }").Replace("kind: mlp, depth: 3", "kind: transformer, depth: 3, heads: 4"),
            "data.kind", 3, "model kind transformer cannot read 'fashion-mnist' (use: text)"),
        // transfer
        new("axis not swept", With(10, "transfer: { axis: depth }"), "transfer.axis", 10, "not swept"),
        new("axis unknown", With(10, "transfer: { axis: widht }"), "transfer.axis", 10, "did you mean 'width'?"),
        new("axis is lr", With(10, "transfer: { axis: lr }"), "transfer.axis", 10),
        new("zero tolerance", With(10, "transfer: { tolerance_log2: 0 }"), "transfer.tolerance_log2", 10),
        new("zero target", With(10, "transfer: { target: 0 }"), "transfer.target", 10, "must be a positive number"),
        new("negative loss tolerance", With(10, "transfer: { tolerance_loss: -0.01 }"), "transfer.tolerance_loss", 10, "must be a positive number"),
        new("text target", With(10, "transfer: { target: huge }"), "transfer.target", 10),
    ];

    // Cases are passed by name: xunit serializes strings, so each case is its own test in the runner.
    public static TheoryData<string> Cases => new(All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejects_with_path_and_line(string name)
    {
        var c = All.Single(x => x.Name == name);
        var ex = Assert.Throws<SpecValidationException>(() => Parse(c.Yaml, c.Mode));
        var matches = ex.Errors.Where(e => e.Path == c.Path).ToList();
        Assert.True(matches.Count > 0, $"no error at '{c.Path}'; got:\n{ex.Message}");
        Assert.Contains(matches, e => e.Line == c.Line);
        if (c.MessagePart is not null)
            Assert.Contains(matches, e => e.Message.Contains(c.MessagePart, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_sample_parses()
    {
        var spec = Parse(Text);
        Assert.Equal(2 * 3 * 5 * 2, spec.CountTrials());
    }

    [Fact]
    public void Embedded_mode_accepts_any_output()
    {
        Assert.Equal("/tmp/../x", Parse(Plus("output: /tmp/../x")).Output);
    }

    [Fact]
    public void Reports_every_error_at_once()
    {
        var yaml = Join(
        [
            "name: Bad Name",
            "model: { kind: mpl, depth: 0, widht: 3 }",
            "data: { kind: synthetic }",
            "train: { optimizer: adma }",
            "parameterizations: [sp, sp]",
            "grid:",
            "  width: [64, -1]",
            "  lr: { log2: { from: -4, to: -14, step: 1 } }",
            "transfer: { axis: depth }",
        ]);
        var ex = Assert.Throws<SpecValidationException>(() => Parse(yaml));
        string[] expected =
        [
            "name", "model.kind", "model.depth", "model.widht", "train.optimizer", "parameterizations[1]",
            "grid.width[1]", "grid.lr.log2", "transfer.axis",
        ];
        Assert.All(expected, path => Assert.Contains(ex.Errors, e => e.Path == path));
        Assert.All(ex.Errors, e => Assert.True(e.Line > 0, e.ToString()));
        Assert.Equal(ex.Errors.Length, ex.Message.Split('\n').Length);
        Assert.Equal(ex.Errors.Select(e => e.Line).Order(), ex.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Error_format_is_path_line_message()
    {
        var ex = Assert.Throws<SpecValidationException>(() => Parse(With(7, "  width: [64, 128, -256]")));
        Assert.Contains("grid.width[2] (line 7): must be a positive integer", ex.Message.Split('\n'));
    }

    [Fact]
    public void Cluster_output_rules()
    {
        Assert.Empty(SweepSpec.ValidateOutputForCluster("results/mlp-width"));
        Assert.Empty(SweepSpec.ValidateOutputForCluster("a/..b/c.."));
        Assert.NotEmpty(SweepSpec.ValidateOutputForCluster("/abs"));
        Assert.NotEmpty(SweepSpec.ValidateOutputForCluster("..\\x"));
        Assert.NotEmpty(SweepSpec.ValidateOutputForCluster("a/../../b"));
        Assert.NotEmpty(SweepSpec.ValidateOutputForCluster("~/x"));
        Assert.NotEmpty(SweepSpec.ValidateOutputForCluster(" "));
        var spec = Parse(Plus("output: ../x"));
        var ex = Assert.Throws<SpecValidationException>(spec.ValidateForCluster);
        Assert.Equal(12, Assert.Single(ex.Errors).Line);
    }

    [Fact]
    public void Load_reports_a_missing_file()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");
        var ex = Assert.Throws<FileNotFoundException>(() => SweepSpecLoader.Load(path));
        Assert.Contains(path, ex.Message);
    }
}
