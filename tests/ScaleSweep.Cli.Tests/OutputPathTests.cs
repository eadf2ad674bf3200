namespace ScaleSweep.Cli.Tests;

/// <summary>
/// Where a command writes is checked before it does any work: a results folder or a figure whose path runs through a
/// file is a usage error (exit 2) naming the flag and the file in the way, which is left as it was.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scalesweep-output-paths-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("--plot", "coord-check", "--widths", "32,64", "--plot", "{file}/coord.png")]
    [InlineData("--plot", "signal-prop", "--sigma-w2", "1:2:0.5", "--plot", "{file}/phase.png")]
    [InlineData("--plot", "signal-prop-check", "--sigma-w2", "1.5", "--plot", "{file}/deeper/check.png")]
    [InlineData("--plot", "feature-diversity", "--plot", "{file}/diversity.png")]
    [InlineData("--out", "run", "{spec}", "--out", "{file}")]
    [InlineData("--out", "run", "{spec}", "--out", "{file}/results")]
    [InlineData("--out", "bench-ladder", "{spec}", "--out", "{file}")]
    public void A_path_through_a_file_is_refused_before_any_work(string flag, params string[] args)
    {
        var file = Path.Combine(_root, "notes.txt");
        File.WriteAllText(file, "keep");
        var spec = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(spec, """
            name: tiny
            model: { kind: mlp, depth: 2 }
            data: { kind: synthetic, train_examples: 256, eval_examples: 64 }
            train: { optimizer: adam, steps: 5, batch: 32, eval_every: 5 }
            parameterizations: [mup]
            base: { width: 32, depth: 2 }
            grid: { width: [32, 64], lr: [0.001, 0.01] }
            transfer: { axis: width }
            """);

        var outcome = ScaleSweepProcess.Run([.. args.Select(a => a.Replace("{file}", file).Replace("{spec}", spec))]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"error: {flag}: {file} is a file, not a folder", outcome.Stderr.Trim());
        Assert.Equal("keep", File.ReadAllText(file));
    }
}
