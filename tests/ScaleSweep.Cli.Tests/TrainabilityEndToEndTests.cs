using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// A tiny trainability sweep through the real CLI: <c>run</c> (embedded silo, gaussian parameterization, synthetic
/// data) and then <c>trainability DIR --json</c>. The training outcome of a few steps is not asserted, only the
/// report: its cells, the theory's prediction per cell (tanh, σ_b² = 0.05: 6 ξ_c ≈ 22 at σ_w² = 1, ≈ 42 at σ_w² = 4)
/// and the agreement fraction.
/// </summary>
public class TrainabilityEndToEndTests
{
    private const string Spec = """
        name: trainability-e2e
        model:      { kind: mlp, width: 32, activation: tanh, sigma_b2: 0.05 }
        data:       { kind: synthetic, train_examples: 2048, eval_examples: 512 }
        train:      { optimizer: sgd, momentum: 0, steps: 30, batch: 64, eval_every: 30 }
        parameterizations: [gaussian]
        grid:
          sigma_w2: [1.0, 4.0]
          depth: [2, 30]
          lr: [0.05]
        transfer:   { axis: depth }
        """;

    [Fact]
    public void Run_then_trainability_reports_every_cell_with_its_prediction_and_the_agreement()
    {
        var work = Directory.CreateTempSubdirectory("trainability-e2e");
        try
        {
            var specPath = Path.Combine(work.FullName, "spec.yaml");
            File.WriteAllText(specPath, Spec);
            var results = Path.Combine(work.FullName, "results");

            var run = ScaleSweepProcess.Run(TimeSpan.FromMinutes(5), work.FullName, "run", specPath, "--out", results, "--json");
            Assert.True(run.ExitCode == 0, $"run exited {run.ExitCode}: {run.Stderr}");

            var plot = Path.Combine(work.FullName, "trainability.png");
            var report = ScaleSweepProcess.Run(TimeSpan.FromMinutes(6), work.FullName, "trainability", results, "--json", "--plot", plot);
            Assert.True(report.ExitCode == 0, $"trainability exited {report.ExitCode}: {report.Stderr}");
            Assert.True(new FileInfo(plot).Length > 0, "the figure was not written");

            using var doc = JsonDocument.Parse(report.Stdout);
            var root = doc.RootElement;
            var cells = root.GetProperty("cells").EnumerateArray().ToArray();
            Assert.Equal(4, cells.Length);
            foreach (var cell in cells)
            {
                foreach (var field in new[] { "sigma_w2", "depth", "accuracy", "xi_c", "predicted_trainable", "trainable" })
                    Assert.True(cell.TryGetProperty(field, out _), $"cell without {field}: {cell}");
                var (sigmaW2, depth) = (cell.GetProperty("sigma_w2").GetDouble(), cell.GetProperty("depth").GetInt32());
                var xiC = cell.GetProperty("xi_c").GetDouble();
                Assert.InRange(xiC, sigmaW2 == 1.0 ? 3.0 : 6.0, sigmaW2 == 1.0 ? 4.5 : 8.0);
                Assert.Equal(depth <= 6 * xiC, cell.GetProperty("predicted_trainable").GetBoolean());
                Assert.InRange(cell.GetProperty("accuracy").GetDouble(), 0, 1);
            }
            Assert.False(cells.Single(c => c.GetProperty("sigma_w2").GetDouble() == 1.0 && c.GetProperty("depth").GetInt32() == 30)
                .GetProperty("predicted_trainable").GetBoolean());
            var agreement = root.GetProperty("agreement").GetDouble();
            var agreeing = cells.Count(c => c.GetProperty("predicted_trainable").GetBoolean() == c.GetProperty("trainable").GetBoolean());
            Assert.Equal(agreeing / 4.0, agreement, 12);
        }
        finally { work.Delete(recursive: true); }
    }

    [Fact]
    public void Trainability_of_a_folder_without_results_exits_2()
    {
        var empty = Directory.CreateTempSubdirectory("trainability-empty");
        try
        {
            var outcome = ScaleSweepProcess.Run("trainability", empty.FullName, "--json");
            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains("trials.parquet", outcome.Stderr);
            Assert.Equal("", outcome.Stdout.Trim());
        }
        finally { empty.Delete(); }
    }

    [Fact]
    public void Signal_prop_check_json_compares_measured_and_theory_per_layer()
    {
        var outcome = ScaleSweepProcess.Run("signal-prop-check", "--sigma-w2", "1.0", "--depth", "6", "--width", "500",
            "--networks", "4", "--q0", "1", "--c0", "0.5", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var doc = JsonDocument.Parse(outcome.Stdout);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(7, layers.Length);
        foreach (var layer in layers)
        {
            Assert.InRange(layer.GetProperty("q").GetDouble() / layer.GetProperty("q_theory").GetDouble(), 0.85, 1.15);
            Assert.InRange(layer.GetProperty("c").GetDouble() - layer.GetProperty("c_theory").GetDouble(), -0.1, 0.1);
        }
        Assert.Equal(JsonValueKind.Null, layers[^1].GetProperty("gradient_ratio").ValueKind);
        Assert.InRange(doc.RootElement.GetProperty("gradient_growth_per_layer").GetDouble(), 0.5, 0.9); // χ₁ < 1: vanishing

        var mistake = ScaleSweepProcess.Run("signal-prop-check", "--sigma-w2", "0");
        Assert.Equal(2, mistake.ExitCode);
        Assert.Contains("--sigma-w2", mistake.Stderr);
    }
}
