using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// The README's main job, end to end through <c>scalesweep run</c>: sweeps/quickstart.yaml (SP vs μP, widths
/// 64–1024, Fashion-MNIST, 192 real trials). Training is deterministic on CPU, so the verdict is reproducible.
/// Measured: μP spread 1.05 log2 (transfers), SP slope −0.84 and spread 3.58 (does not transfer); another CPU model
/// gave 0.90, −0.63 and 2.58. The assertions hold for both: they test the finding, not one CPU's rounding.
/// </summary>
public class QuickstartEndToEndTests
{
    [Fact]
    public void Quickstart_shows_mup_transferring_and_sp_drifting()
    {
        var output = Directory.CreateTempSubdirectory("quickstart");
        try
        {
            var outcome = ScaleSweepProcess.Run(TimeSpan.FromMinutes(15), ScaleSweep.Tests.Shared.BuiltCli.RepositoryRoot,
                "run", "sweeps/quickstart.yaml", "--out", output.FullName);
            Assert.True(outcome.ExitCode == 0, outcome.Stderr);
            foreach (var file in new[] { "trials.parquet", "curves.parquet", "transfer.json", "transfer.parquet", "report.md", "plots/loss_vs_lr.png" })
                Assert.True(File.Exists(Path.Combine(output.FullName, file)), $"missing {file}");

            using var transfer = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, "transfer.json")));
            var byName = transfer.RootElement.GetProperty("results").EnumerateArray()
                .ToDictionary(r => r.GetProperty("parameterization").GetString()!);
            var mup = byName["mup"];
            var sp = byName["sp"];
            Assert.Equal("width", mup.GetProperty("axis").GetString());
            Assert.Equal(4, mup.GetProperty("points").GetArrayLength());

            var mupSpread = mup.GetProperty("spread").GetDouble();
            var spSpread = sp.GetProperty("spread").GetDouble();
            var spSlope = sp.GetProperty("slope").GetDouble();
            Assert.True(mupSpread <= 1.5, $"μP spread {mupSpread:F2} log2 units");
            Assert.True(Math.Abs(mup.GetProperty("slope").GetDouble()) < 0.35, $"μP slope {mup.GetProperty("slope").GetDouble():F2}");
            Assert.True(mup.GetProperty("transfers").GetBoolean());
            Assert.True(spSlope < -0.45, $"SP slope {spSlope:F2} should be clearly negative");
            Assert.False(sp.GetProperty("transfers").GetBoolean());
            Assert.True(spSpread - mupSpread > 1.0, $"SP spread {spSpread:F2} vs μP {mupSpread:F2}");
            Assert.Contains("mup", outcome.Stdout);
        }
        finally { output.Delete(true); }
    }
}
