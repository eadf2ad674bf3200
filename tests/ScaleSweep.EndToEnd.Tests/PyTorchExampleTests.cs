using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

using ScaleSweep.Tests.Shared;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// examples/pytorch through <c>scalesweep run</c>: a PyTorch program trained as command trials (a few steps, two
/// widths, SP and μP). Needs Debian's python3-torch for /usr/bin/python3 (infra/setup.sh installs it).
/// </summary>
public class PyTorchExampleTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_pytorch_mlp_trains_through_run_and_applies_the_rules_it_is_given()
    {
        var output = Directory.CreateTempSubdirectory("pytorch-example");
        try
        {
            var spec = Path.Combine(output.FullName, "spec.yaml");
            File.WriteAllText(spec, $"""
                name: pytorch-example
                model: {"{"} kind: command, run: [{Python}, examples/pytorch/train_mlp.py, --eval-examples, "500"], depth: 2 {"}"}
                train: {"{"} optimizer: adam, steps: 10, batch: 32, eval_every: 10, log_every: 5 {"}"}
                parameterizations: [sp, mup]
                base: {"{"} width: 64, depth: 2 {"}"}
                grid: {"{"} width: [64, 128], lr: [0.001], seed: [0] {"}"}
                """);
            var results = Path.Combine(output.FullName, "out");
            var outcome = BuiltCli.Run(TimeSpan.FromMinutes(15), BuiltCli.RepositoryRoot, null, ["run", spec, "--out", results]);
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);

            var trials = (await ResultsReader.ReadAsync(results)).Trials;
            Assert.Equal(4, trials.Length);
            Assert.All(trials, t => Assert.True(t.Status == TrialStatus.Completed,
                $"{t.Parameterization} width {t.Width}: {t.Status} {t.Error} (is python3-torch installed for {Python}? run infra/setup.sh)"));
            Assert.All(trials, t => Assert.Equal([1, 5, 10], t.Curve.Select(p => p.Step)));
            Assert.All(trials, t => Assert.InRange(t.FinalEvalLoss!.Value, 0.1, 2.5));
            double Loss(string p, int width) => trials.Single(t => t.Parameterization == p && t.Width == width).FinalEvalLoss!.Value;
            // At the base width μP is SP (same init, multipliers and LRs, same seed): the program reproduces it exactly.
            Assert.Equal(Loss("sp", 64), Loss("mup", 64));
            // Above it the rules differ, and so does training.
            Assert.NotEqual(Loss("sp", 128), Loss("mup", 128));
        }
        finally { output.Delete(true); }
    }
}
