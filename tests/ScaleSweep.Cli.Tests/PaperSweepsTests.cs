using System.Text.Json;
using System.Text.RegularExpressions;
using ScaleSweep.Tests.Shared;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// The specs behind docs/papers.md: each validates as written, and a reduced copy of each — the file itself with its
/// grid cut to two scales and two learning rates, 5 steps, a few hundred examples — runs end to end through
/// <c>scalesweep run</c>. The model and parameterization lines are the file's own, so a spec whose model or table
/// stopped working fails here. The training outcome of five steps is not asserted. About 10–20 s per spec.
/// </summary>
public partial class PaperSweepsTests
{
    public static TheoryData<string, int> Specs => new()
    {
        { "depth-activation-relu", 30 }, { "depth-activation-abs", 30 }, { "depth-activation-linear", 30 },
        { "resnet-depth-block2", 60 },
        { "ip-activation-relu", 36 }, { "ip-activation-tanh", 36 }, { "ip-activation-gelu", 36 }, { "ip-activation-abs", 36 },
    };

    private static string PathOf(string name) => Path.Combine(BuiltCli.RepositoryRoot, "sweeps", name + ".yaml");

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_spec_validates_with_its_documented_trial_count(string name, int trials)
    {
        var outcome = ScaleSweepProcess.Run("validate", PathOf(name), "--json");
        Assert.True(outcome.ExitCode == 0, $"{name}: {outcome.Stderr}");
        using var doc = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(trials, doc.RootElement.GetProperty("trials").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_reduced_copy_runs_end_to_end(string name, int _)
    {
        var work = Directory.CreateTempSubdirectory($"paper-{name}");
        try
        {
            var spec = Reduce(File.ReadAllText(PathOf(name)));
            var specPath = Path.Combine(work.FullName, "spec.yaml");
            File.WriteAllText(specPath, spec);
            var results = Path.Combine(work.FullName, "results");
            var outcome = ScaleSweepProcess.Run(TimeSpan.FromMinutes(5), work.FullName, "run", specPath, "--out", results, "--slots", "2", "--json");
            Assert.True(outcome.ExitCode == 0, $"{name}: run exited {outcome.ExitCode}: {outcome.Stderr}\n{spec}");

            using var transfer = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "transfer.json")));
            var parameterizations = Regex.Match(spec, @"parameterizations: \[(.*)\]").Groups[1].Value.Split(", ");
            Assert.Equal(parameterizations.Order(), transfer.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("parameterization").GetString()!).Order());
            using var run = JsonDocument.Parse(outcome.Stdout);
            var root = run.RootElement;
            Assert.Equal(parameterizations.Length * 2 * 2, root.GetProperty("total").GetInt32());
            Assert.Equal(0, root.GetProperty("failed").GetInt32());
            Assert.Equal(root.GetProperty("total").GetInt32(), root.GetProperty("completed").GetInt32() + root.GetProperty("diverged").GetInt32());
        }
        finally { work.Delete(recursive: true); }
    }

    /// <summary>The spec with two scales (its two smallest), two LRs, 5 steps of batch 16 and 256 / 128 examples.</summary>
    private static string Reduce(string spec)
    {
        spec = TrainExamples().Replace(spec, "train_examples: 256, eval_examples: 128");
        spec = Steps().Replace(spec, "steps: 5, batch: 16, eval_every: 5, log_every: 5");
        spec = ScaleList().Replace(spec, m => $"  {m.Groups[1].Value}: [{string.Join(", ", m.Groups[2].Value.Split(',').Take(2).Select(v => v.Trim()))}]");
        spec = LrRange().Replace(spec, "  lr: [0.001, 0.01]");
        Assert.Contains("lr: [0.001, 0.01]", spec);
        return spec;
    }

    [GeneratedRegex(@"train_examples: \d+, eval_examples: \d+")]
    private static partial Regex TrainExamples();

    [GeneratedRegex(@"steps: \d+, batch: \d+, eval_every: \d+, log_every: \d+")]
    private static partial Regex Steps();

    [GeneratedRegex(@"^  (width|depth): \[([^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex ScaleList();

    [GeneratedRegex(@"^  lr: .*$", RegexOptions.Multiline)]
    private static partial Regex LrRange();
}
