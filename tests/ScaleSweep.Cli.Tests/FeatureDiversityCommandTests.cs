using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// <c>scalesweep feature-diversity</c> through the real CLI: the documented JSON object, the figure, and exit 2 with
/// the flag named for each mistake. A tiny residual MLP (width 32, 8 blocks, 3 steps): the exponent's value is the
/// Training tests' business; here it must be a number that the gaps' own distances give.
/// </summary>
public class FeatureDiversityCommandTests
{
    [Fact]
    public void Json_is_one_object_with_the_gaps_and_their_fitted_exponent_and_the_plot_is_written()
    {
        var work = Directory.CreateTempSubdirectory("feature-diversity");
        try
        {
            var plot = Path.Combine(work.FullName, "fd.png");
            var outcome = ScaleSweepProcess.Run("feature-diversity", "--param", "depth-mup", "--activation", "abs", "--width", "32",
                "--depth", "8", "--steps", "3", "--examples", "32", "--json", "--plot", plot);
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);
            Assert.True(new FileInfo(plot).Length > 0, "the figure was not written");

            using var doc = JsonDocument.Parse(outcome.Stdout);
            var root = doc.RootElement;
            Assert.Equal("depth-mup", root.GetProperty("parameterization").GetString());
            Assert.Equal("abs", root.GetProperty("activation").GetString());
            Assert.Equal(8, root.GetProperty("depth").GetInt32());
            Assert.Equal(1, root.GetProperty("base_depth").GetInt32());
            var gaps = root.GetProperty("gaps").EnumerateArray().Select(g => (K: g.GetProperty("k").GetInt32(), D: g.GetProperty("distance").GetDouble())).ToArray();
            Assert.Equal([1, 2, 4], gaps.Select(g => g.K));
            Assert.All(gaps, g => Assert.True(g.D > 0));
            // The exponent is the least-squares slope of ln d against ln(k/L); with k = 1, 2, 4 (equally spaced in
            // ln k) that slope is (ln d(4) − ln d(1)) / ln 4.
            Assert.Equal(Math.Log(gaps[2].D / gaps[0].D) / Math.Log(4), root.GetProperty("exponent").GetDouble(), 1e-9);
        }
        finally { work.Delete(recursive: true); }
    }

    [Fact]
    public void Results_mode_measures_each_parameterization_at_its_largest_depth_and_its_optimum()
    {
        var work = Directory.CreateTempSubdirectory("feature-diversity-results");
        try
        {
            var specPath = Path.Combine(work.FullName, "spec.yaml");
            File.WriteAllText(specPath, """
                name: fd-results
                model: { kind: resnet, width: 32, activation: abs }
                data: { kind: synthetic, train_examples: 512, eval_examples: 128 }
                train: { optimizer: adam, steps: 5, batch: 16, eval_every: 5 }
                parameterizations: [depth-mup, completep]
                grid:
                  depth: [4, 8]
                  lr: [0.001, 0.004, 0.016]
                transfer: { axis: depth }
                """);
            var results = Path.Combine(work.FullName, "results");
            var run = ScaleSweepProcess.Run(TimeSpan.FromMinutes(5), work.FullName, "run", specPath, "--out", results, "--slots", "2");
            Assert.True(run.ExitCode == 0, run.Stderr);

            var outcome = ScaleSweepProcess.Run("feature-diversity", "--results", results, "--examples", "32", "--json");
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);
            using var transfer = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "transfer.json")));
            var optimum = transfer.RootElement.GetProperty("results").EnumerateArray().ToDictionary(
                r => r.GetProperty("parameterization").GetString()!,
                r => r.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("scale").GetDouble() == 8).GetProperty("log2_lr_opt").GetDouble());
            using var doc = JsonDocument.Parse(outcome.Stdout);
            var measured = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(["completep", "depth-mup"], measured.Select(m => m.GetProperty("parameterization").GetString()).Order());
            foreach (var m in measured)
            {
                Assert.Equal(8, m.GetProperty("depth").GetInt32());
                Assert.Equal("abs", m.GetProperty("activation").GetString());
                Assert.Equal(5, m.GetProperty("steps").GetInt32());
                Assert.Equal(Math.Pow(2, optimum[m.GetProperty("parameterization").GetString()!]), m.GetProperty("lr").GetDouble(), 1e-12);
            }
        }
        finally { work.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("--results", "no-such-folder")]
    [InlineData("--model", "mlp")]
    [InlineData("--depth", "3")]
    [InlineData("--examples", "0")]
    [InlineData("--plot", "fd.svg")]
    [InlineData("--activation", "softplus")]
    public void Mistakes_exit_2_naming_the_flag(string flag, string value)
    {
        var outcome = ScaleSweepProcess.Run("feature-diversity", flag, value, "--width", "16", "--steps", "1");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(flag, outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr);
    }
}
