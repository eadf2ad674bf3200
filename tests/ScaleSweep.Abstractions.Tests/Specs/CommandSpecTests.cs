using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary>The <c>command</c> model section: an argument list, no data section, and keys that ignore what only surrounds the program.</summary>
public sealed class CommandSpecTests
{
    private static string Spec(string model, string more = "") => $$"""
        name: cmd
        model: {{model}}
        parameterizations: [sp, mup]
        grid:
          width: [64, 128]
          lr: [0.001, 0.01]
        {{more}}
        """;

    private static SpecError[] Errors(string yaml) =>
        [.. Assert.Throws<SpecValidationException>(() => SweepSpecLoader.Parse(yaml, "t.yaml")).Errors];

    [Fact]
    public void A_command_model_reads_its_fields_and_needs_no_data_section()
    {
        var spec = SweepSpecLoader.Parse(Spec("""
            { kind: command, run: [/usr/bin/python3, train.py, "--lr={lr}"], workdir: examples, env: { A: "1", B: x }, timeout_s: 90, metrics: [grad_norm] }
            """), "t.yaml");
        var command = spec.Model.Command!;
        Assert.Equal(["/usr/bin/python3", "train.py", "--lr={lr}"], command.Run.ToArray());
        Assert.Equal("examples", command.Workdir);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x" }, command.Env);
        Assert.Equal(90, command.TimeoutSeconds);
        Assert.Equal(["grad_norm"], spec.Expand().Settings.MetricColumns.ToArray());
        Assert.Equal(1, spec.Model.Depth); // a size the program may not use defaults to 1
    }

    [Fact]
    public void Run_must_be_a_list_and_the_data_section_must_go()
    {
        var errors = Errors(Spec("{ kind: command, run: 'python3 train.py' }", "data: { kind: synthetic }"));
        Assert.Contains(errors, e => e.Path == "model.run" && e.Message.Contains("never split like a shell line"));
        Assert.Contains(errors, e => e.Path == "data" && e.Message.Contains("brings its own data"));
    }

    [Fact]
    public void Run_is_required_and_only_a_command_model_takes_it()
    {
        Assert.Contains(Errors(Spec("{ kind: command, workdir: x }")), e => e.Path == "model.run" && e.Message.Contains("required"));
        Assert.Contains(Errors(Spec("{ kind: mlp, depth: 2, run: [x] }", "data: { kind: synthetic }")),
            e => e.Path == "model.run" && e.Message.Contains("only used by model kind command"));
        Assert.Contains(Errors(Spec("{ kind: command, run: ['{lr}'] }")), e => e.Path == "model.run[0]" && e.Message.Contains("fixed path"));
    }

    [Fact]
    public void The_timeout_and_metrics_stay_out_of_the_trial_key_while_the_program_is_in_it()
    {
        string Key(string model) => SweepSpecLoader.Parse(Spec(model), "t.yaml").Expand().Trials[0].Key;
        var plain = Key("{ kind: command, run: [/bin/prog] }");
        Assert.Equal(plain, Key("{ kind: command, run: [/bin/prog], timeout_s: 10, metrics: [m] }"));
        Assert.NotEqual(plain, Key("{ kind: command, run: [/bin/prog, --fast] }"));
        Assert.NotEqual(plain, Key("{ kind: command, run: [/bin/prog], env: { A: b } }"));
    }

    [Fact]
    public void A_command_ladder_may_not_prune_because_a_program_cannot_stop_at_a_rung()
    {
        Assert.NotNull(SweepSpecLoader.Parse(Spec("{ kind: command, run: [/bin/prog] }", "strategy: ladder"), "t.yaml").Ladder);
        Assert.Contains(Errors(Spec("{ kind: command, run: [/bin/prog] }", "strategy: ladder\nladder: { prune: { at: 0.25 } }")),
            e => e.Path == "ladder.prune" && e.Message.Contains("cannot stop at a rung"));
    }
}
