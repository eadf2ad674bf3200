namespace ScaleSweep.Cli.Tests;

/// <summary>A truncated trials.parquet given to <c>report</c> or <c>run --resume</c>: exit 2 naming the file, nothing rewritten.</summary>
public sealed class DamagedResultsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scalesweep-damaged-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Report_and_resume_refuse_a_truncated_trials_file_and_leave_the_folder_as_it_was()
    {
        var spec = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(spec, """
            name: tiny
            model: { kind: noop, work_ms: 1 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            grid:
              width: [64, 128]
              lr: [0.001, 0.004]
              seed: [0]
            """);
        var folder = Path.Combine(_root, "out");
        var run = ScaleSweepProcess.Run("run", spec, "--out", folder);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var trials = Path.Combine(folder, "trials.parquet");
        var whole = File.ReadAllBytes(trials);
        File.WriteAllBytes(trials, whole[..(whole.Length / 2)]);
        var before = Snapshot(folder);

        foreach (var args in new[] { new[] { "report", folder }, ["run", spec, "--out", folder, "--resume"] })
        {
            var outcome = ScaleSweepProcess.Run(args);
            Assert.Equal(2, outcome.ExitCode);
            var message = outcome.Stderr.Trim();
            Assert.StartsWith($"error: {trials}: not a readable ScaleSweep results file", message);
            Assert.DoesNotContain("\n", message);
            Assert.Equal(before, Snapshot(folder));
        }
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
