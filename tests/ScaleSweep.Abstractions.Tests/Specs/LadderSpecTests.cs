using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;
using static ScaleSweep.Abstractions.Tests.Specs.SpecSamples;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary><c>strategy</c> and <c>ladder</c>: defaults, the plan's settings, keys shared with the grid, and every error naming its field.</summary>
public sealed class LadderSpecTests
{
    [Fact]
    public void A_spec_without_strategy_is_a_grid()
    {
        Assert.Null(Parse(Text).Ladder);
        Assert.Null(Parse(Plus("strategy: grid")).Expand().Settings.Ladder);
    }

    [Fact]
    public void Strategy_ladder_alone_takes_the_defaults()
    {
        var spec = Parse(Plus("strategy: ladder"));
        Assert.Equal(new LadderSettings(FullScales: 2, Points: 3), spec.Ladder);
        Assert.Null(spec.Ladder!.Prune);
    }

    [Fact]
    public void The_ladder_section_reaches_the_plan_and_the_keys_are_the_grids()
    {
        var ladder = Parse(Plus("strategy: ladder", "ladder: { full_scales: 1, points: 5, prune: { at: 0.5 } }")).Expand();
        Assert.Equal(new LadderSettings(1, 5) { Prune = new PruneSettings(At: 0.5, Keep: 0.5) }, ladder.Settings.Ladder);
        // Same configuration, same key: the ladder plans from the grid's trials.
        Assert.Equal(Parse(Text).Expand().Trials.Select(t => t.Key), ladder.Trials.Select(t => t.Key));
    }

    [Theory]
    [InlineData("ladder: { points: 1 }", "ladder.points", "must be an integer ≥ 2")]
    [InlineData("ladder: { points: 2.5 }", "ladder.points", "must be an integer ≥ 2")]
    [InlineData("ladder: { full_scales: 0 }", "ladder.full_scales", "must be an integer ≥ 1")]
    [InlineData("ladder: { prune: { at: 1 } }", "ladder.prune.at", "must be a number in (0, 1)")]
    [InlineData("ladder: { prune: { keep: 0 } }", "ladder.prune.keep", "must be a number in (0, 1)")]
    [InlineData("ladder: { pionts: 3 }", "ladder.pionts", "did you mean 'points'?")]
    [InlineData("ladder: 3", "ladder", "must be a mapping")]
    public void A_bad_ladder_field_is_named(string line, string path, string message)
    {
        var ex = Assert.Throws<SpecValidationException>(() => Parse(Plus("strategy: ladder", line)));
        Assert.Contains(ex.Errors, e => e.Path == path && e.Line == 13 && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("strategy: ladr", "strategy", "did you mean 'ladder'?")]
    [InlineData("ladder: { points: 3 }", "ladder", "only used with strategy: ladder")]
    public void Strategy_errors_name_the_field(string line, string path, string message)
    {
        var ex = Assert.Throws<SpecValidationException>(() => Parse(Plus(line)));
        Assert.Contains(ex.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_ladder_under_strategy_grid_is_an_error()
    {
        var ex = Assert.Throws<SpecValidationException>(() => Parse(Plus("strategy: grid", "ladder: { points: 3 }")));
        Assert.Contains(ex.Errors, e => e.Path == "ladder" && e.Line == 13);
    }

    [Fact]
    public void A_ladder_needs_its_axis_swept()
    {
        // Width fixed and nothing else of the model swept: the default axis (width) has nothing to climb.
        var yaml = With(2, "model: { kind: mlp, width: 64, depth: 3 }").Replace("  width: [64, 128, 256]\n", "").Replace("transfer: { axis: width, tolerance_log2: 1.0 }\n", "");
        Assert.Null(Parse(yaml).Ladder);
        var ex = Assert.Throws<SpecValidationException>(() => Parse(yaml + "strategy: ladder\n"));
        Assert.Contains(ex.Errors, e => e.Path == "strategy" && e.Message.Contains("transfer axis (width)", StringComparison.Ordinal));
    }
}
