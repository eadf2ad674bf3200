using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// Every model kind trains end to end through <c>scalesweep run</c> (embedded silo): a tiny spec per kind (one
/// parameterization, one width, two learning rates, five Adam steps, a few hundred examples) written to a temp
/// folder. Asserts exit 0, both trials completed, the results files, and that stdout and <c>transfer.json</c> name
/// the parameterization. The training outcome of five steps is not asserted. About 4–9 s per kind on 2 cores.
/// </summary>
public class ModelZooEndToEndTests
{
    private const string Images = "{ kind: fashion-mnist, train_examples: 256, eval_examples: 128 }";
    private const string Text = "{ kind: text, train_examples: 2048, eval_examples: 512 }";

    [Theory]
    [InlineData("mlp", "mup", "{ kind: mlp, width: 32, depth: 2 }", Images)]
    [InlineData("resnet", "depth-mup", "{ kind: resnet, width: 32, depth: 2, block_depth: 1, layer_norm: true }", Images)]
    [InlineData("conv-resnet", "mup", "{ kind: conv-resnet, width: 8, depth: 1 }", Images)]
    [InlineData("transformer", "mup", "{ kind: transformer, width: 32, depth: 1, heads: 2, context: 16 }", Text)]
    [InlineData("moe", "mup-moe", "{ kind: moe, width: 32, depth: 1, heads: 2, context: 16, experts: 2, top_k: 1 }", Text)]
    public void Every_model_kind_trains_a_tiny_sweep_end_to_end(string kind, string parameterization, string model, string data)
    {
        var work = Directory.CreateTempSubdirectory($"zoo-{kind}");
        try
        {
            var spec = $$"""
                name: zoo-{{kind}}
                model: {{model}}
                data: {{data}}
                train: { optimizer: adam, steps: 5, batch: 16, eval_every: 5, log_every: 5 }
                parameterizations: [{{parameterization}}]
                grid:
                  lr: [0.001, 0.01]
                """;
            var specPath = Path.Combine(work.FullName, "spec.yaml");
            File.WriteAllText(specPath, spec);
            var results = Path.Combine(work.FullName, "results");

            var outcome = ScaleSweepProcess.Run(TimeSpan.FromMinutes(6), work.FullName,
                "run", specPath, "--out", results, "--slots", "2");
            Assert.True(outcome.ExitCode == 0, $"{kind}: run exited {outcome.ExitCode}: {outcome.Stderr}");
            Assert.True(File.Exists(Path.Combine(results, "trials.parquet")), $"{kind}: trials.parquet missing");
            Assert.True(File.Exists(Path.Combine(results, "transfer.json")), $"{kind}: transfer.json missing");
            Assert.Contains("completed 2", outcome.Stdout);
            Assert.Contains(parameterization, outcome.Stdout);

            using var transfer = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "transfer.json")));
            var names = transfer.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("parameterization").GetString())
                .ToArray();
            Assert.Equal(parameterization, Assert.Single(names));
        }
        finally { work.Delete(recursive: true); }
    }
}
