using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary><c>scalesweep run</c> (embedded silo) and the usage errors of the cluster commands.</summary>
public class EmbeddedRunTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalesweep-run-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedRunTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Run_writes_the_results_folder_and_one_json_document_and_resumes()
    {
        var spec = WriteSpec("run-noop", "output: ignored-because-of-out");
        var output = Path.Combine(_dir, "out");

        var run = CliProcess.Run(Timeout, "run", spec, "--out", output, "--slots", "4", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal("completed", (string?)json["state"]);
        Assert.Equal(12, (int)json["completed"]!);
        Assert.Equal(output, (string?)json["results_dir"]);
        Assert.True((bool)json["transfer"]![0]!["transfers"]!);
        foreach (var file in new[] { "trials.parquet", "curves.parquet", "transfer.json", "report.md" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);

        // The folder holds results now: running again needs --resume, which skips every stored trial.
        var again = CliProcess.Run(Timeout, "run", spec, "--out", output);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--resume", again.Stderr);
        var resumed = CliProcess.Run(Timeout, "run", spec, "--out", output, "--resume", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(12, (int)JsonNode.Parse(resumed.Stdout)!["resumed"]!);
        Assert.Equal(12, (await ResultsReader.ReadStoredKeysAsync(output)).Count);
    }

    [Fact]
    public void An_invalid_spec_exits_2_and_writes_nothing()
    {
        var spec = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(spec, "name: bad\nmodel: { kind: nope }\ngrid: { width: [] }\n");
        var output = Path.Combine(_dir, "never");
        var run = CliProcess.Run(Timeout, "run", spec, "--out", output, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("model.kind", run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Submit_refuses_an_output_outside_the_results_root_before_connecting()
    {
        var spec = WriteSpec("escape", "output: ../elsewhere");
        var submit = CliProcess.Run(Timeout, "submit", spec, "--redis", "127.0.0.1:1");
        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("output", submit.Stderr);
        var noRedis = CliProcess.Run(Timeout, "status", "some-id", "--redis", "not-an-address");
        Assert.Equal(2, noRedis.ExitCode);
    }

    private string WriteSpec(string name, string outputLine)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            {{outputLine}}
            model: { kind: noop, work_ms: 5 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            grid:
              width: [64, 128, 256]
              lr: { log2: { from: -9, to: -6, step: 1 } }
            transfer: { axis: width, tolerance_log2: 1.0 }
            """);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
