using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Tests.Shared;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// <c>run --reuse DIR</c> and <c>submit --reuse DIR</c>: a sweep extended by one width and one parameterization runs
/// only its new trials; the earlier rows are adopted, marked, and unchanged.
/// </summary>
public class ReuseTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalesweep-reuse-" + Guid.NewGuid().ToString("N")[..8]);

    public ReuseTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Run_with_reuse_over_an_extended_grid_runs_only_the_new_keys()
    {
        var first = Path.Combine(_dir, "first");
        var run = CliProcess.Run(Timeout, "run", WriteSpec(_dir, "small", ["mup"], [64, 128, 256]), "--out", first, "--slots", "4", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var earlier = (await ResultsReader.ReadAsync(first)).Trials.ToDictionary(r => r.TrialKey);
        Assert.Equal(12, earlier.Count);

        var spec = WriteSpec(_dir, "extended", ["mup", "sp"], [64, 128, 256, 512]);
        var second = Path.Combine(_dir, "second");
        var extended = CliProcess.Run(Timeout, "run", spec, "--out", second, "--slots", "4", "--reuse", first);
        Assert.True(extended.ExitCode == 0, extended.Stderr);
        Assert.Contains($"reused 12 of 32 trials from {first}", extended.Stdout);

        var planned = Keys(spec);
        Assert.Equal(32, planned.Count);
        Assert.Subset(planned, earlier.Keys.ToHashSet());
        var rows = (await ResultsReader.ReadAsync(second)).Trials;
        Assert.Equal(planned.Order(), rows.Select(r => r.TrialKey).Order());
        var sweepId = Assert.Single(rows.Select(r => r.SweepId).Distinct());
        Assert.NotEqual(earlier.Values.First().SweepId, sweepId);
        foreach (var row in rows)
        {
            if (earlier.TryGetValue(row.TrialKey, out var before))
            {
                Assert.Equal(before.SweepId, row.ReusedFrom);
                Assert.Equal(before.FinalEvalLoss, row.FinalEvalLoss);
                Assert.Equal(before.StartedAt, row.StartedAt);
                Assert.Equal(before.Curve.ToArray(), row.Curve.ToArray());
            }
            else
            {
                Assert.Null(row.ReusedFrom);
                Assert.True(row.StartedAt > earlier.Values.Max(r => r.FinishedAt), $"{row.TrialKey} was not run by the second sweep");
            }
        }
        Assert.Equal(planned.Count - earlier.Count, rows.Count(r => r.ReusedFrom is null));

        // The analysis sees every row: both parameterizations at all four widths, the reused widths included.
        var transfer = JsonNode.Parse(File.ReadAllText(Path.Combine(second, ResultsFolder.TransferJsonFile)))!["results"]!.AsArray();
        Assert.Equal(["mup", "sp"], transfer.Select(r => (string)r!["parameterization"]!).Order());
        Assert.All(transfer, r => Assert.Equal([64.0, 128, 256, 512], r!["points"]!.AsArray().Select(p => (double)p!["scale"]!)));
    }

    [Fact]
    public async Task Bad_reuse_folders_exit_2_naming_the_flag_and_write_nothing()
    {
        var spec = WriteSpec(_dir, "bad", ["mup"], [64, 128]);
        var fresh = Path.Combine(_dir, "never");
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var damaged = Directory.CreateDirectory(Path.Combine(_dir, "damaged")).FullName;
        File.WriteAllText(ResultsFolder.Trials(damaged), "PAR1 not a parquet file PAR1");

        AssertRefused(CliProcess.Run(Timeout, "run", spec, "--out", fresh, "--reuse", Path.Combine(_dir, "missing")), Path.Combine(_dir, "missing"));
        AssertRefused(CliProcess.Run(Timeout, "run", spec, "--out", fresh, "--reuse", empty), ResultsFolder.Trials(empty));
        AssertRefused(CliProcess.Run(Timeout, "run", spec, "--out", fresh, "--reuse", damaged), ResultsFolder.Trials(damaged));
        Assert.False(Directory.Exists(fresh));

        // A real folder: run once, then make one row claim another width under the same key.
        var earlier = Path.Combine(_dir, "earlier");
        Assert.Equal(0, CliProcess.Run(Timeout, "run", spec, "--out", earlier, "--json").ExitCode);
        var edited = Directory.CreateDirectory(Path.Combine(_dir, "edited")).FullName;
        var rows = (await ResultsReader.ReadAsync(earlier)).Trials;
        await using (var writer = await ResultsWriter.OpenAsync(edited, []))
        {
            for (var i = 0; i < rows.Length; i++) await writer.AddAsync(i == 0 ? rows[i] with { Width = 4096 } : rows[i]);
        }
        var mixed = CliProcess.Run(Timeout, "run", spec, "--out", fresh, "--reuse", edited);
        AssertRefused(mixed, ResultsFolder.Trials(edited));
        Assert.Contains("width 4096", mixed.Stderr);
        Assert.False(Directory.Exists(fresh));

        // The output folder itself: that is --resume, and its files stay as they were.
        var before = File.ReadAllBytes(ResultsFolder.Trials(earlier));
        var written = File.GetLastWriteTimeUtc(ResultsFolder.Trials(earlier));
        var same = CliProcess.Run(Timeout, "run", spec, "--out", earlier, "--resume", "--reuse", earlier);
        AssertRefused(same, earlier);
        Assert.Contains("--resume", same.Stderr);
        Assert.Equal(before, File.ReadAllBytes(ResultsFolder.Trials(earlier)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(ResultsFolder.Trials(earlier)));
    }

    [Fact]
    public async Task A_folder_without_matching_keys_is_a_note_and_every_trial_runs()
    {
        var other = Path.Combine(_dir, "other");
        Assert.Equal(0, CliProcess.Run(Timeout, "run", WriteSpec(_dir, "other", ["sp"], [64]), "--out", other, "--json").ExitCode);
        var output = Path.Combine(_dir, "out");
        var run = CliProcess.Run(Timeout, "run", WriteSpec(_dir, "mine", ["mup"], [64, 128]), "--out", output, "--json", "--reuse", other);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("note: --reuse", run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(0, (int)json["reused"]!);
        Assert.Equal(8, (int)json["completed"]!);
        Assert.All((await ResultsReader.ReadAsync(output)).Trials, r => Assert.Null(r.ReusedFrom));
    }

    [Fact]
    public async Task Submit_with_reuse_on_a_cluster_runs_only_the_new_keys()
    {
        using var cluster = new LocalCluster();
        await cluster.StartSilosAsync("reuse-a", "reuse-b");
        var small = WriteSpec(cluster.ResultsRoot, "c-small", ["mup"], [64, 128, 256], output: "c-small");
        var firstId = cluster.Submit(small);
        await cluster.WaitForAsync(firstId, s => s.Finalized, Timeout);
        var firstFolder = Path.Combine(cluster.ResultsRoot, "c-small");
        var earlier = (await ResultsReader.ReadAsync(firstFolder)).Trials.ToDictionary(r => r.TrialKey);

        var extended = WriteSpec(cluster.ResultsRoot, "c-extended", ["mup", "sp"], [64, 128, 256, 512], output: "c-extended");
        var submit = CliProcess.Run(Timeout, "submit", extended, "--redis", cluster.Redis.Address, "--reuse", firstFolder);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        var id = submit.Stdout.Trim();
        Assert.Contains("reused 12 of 32 trials", submit.Stderr);
        var status = await cluster.WaitForAsync(id, s => s.Finalized, Timeout);
        Assert.Equal(12, status.Reused);
        Assert.Equal(32, status.Counts.Completed);
        var shown = CliProcess.Run(Timeout, "status", id, "--redis", cluster.Redis.Address);
        Assert.Contains("reused 12", shown.Stdout);

        var rows = (await ResultsReader.ReadAsync(Path.Combine(cluster.ResultsRoot, "c-extended"))).Trials;
        Assert.Equal(Keys(extended).Order(), rows.Select(r => r.TrialKey).Order());
        Assert.All(rows, r => Assert.Equal(id, r.SweepId));
        Assert.All(rows.Where(r => earlier.ContainsKey(r.TrialKey)), r =>
        {
            Assert.Equal(firstId, r.ReusedFrom);
            Assert.Equal(earlier[r.TrialKey].StartedAt, r.StartedAt);
            Assert.Equal(earlier[r.TrialKey].Silo, r.Silo);
        });
        Assert.Equal(20, rows.Count(r => r.ReusedFrom is null));
    }

    private static void AssertRefused(CliOutcome outcome, string path)
    {
        Assert.True(outcome.ExitCode == 2, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --reuse: ", line);
        Assert.Contains(path, line);
    }

    private static ImmutableHashSet<string> Keys(string spec) =>
        [.. SweepSpecLoader.Load(spec, SpecMode.Embedded).Expand().Trials.Select(t => t.Key)];

    private static string WriteSpec(string folder, string name, string[] parameterizations, int[] widths, string? output = null)
    {
        var path = Path.Combine(folder, name + ".yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            {{(output is null ? "" : $"output: {output}")}}
            model: { kind: noop, work_ms: 5 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [{{string.Join(", ", parameterizations)}}]
            base: { width: 64, depth: 2 }
            grid:
              width: [{{string.Join(", ", widths)}}]
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
