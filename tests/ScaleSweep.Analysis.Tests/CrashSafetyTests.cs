using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;
using Xunit.Abstractions;

namespace ScaleSweep.Analysis.Tests;

public class CrashSafetyTests(ITestOutputHelper output)
{
    private static readonly ResultsWriterOptions Manual = new() { FlushInterval = Timeout.InfiniteTimeSpan, RowGroupTrials = 10 };

    private static List<TrialResult> Many(int n, int curvePoints = 3) =>
        [.. Enumerable.Range(0, n).Select(i => Trials.Make("mup", 64 << (i % 4), -14 + i % 11, i, 1.0 + i * 0.001, curvePoints: curvePoints))];

    [Fact]
    public async Task Abandoned_writer_leaves_every_flushed_row_readable_and_stray_temp_files_are_ignored()
    {
        using var folder = new TempFolder();
        var trials = Many(35);
        // Abandoned: never completed or disposed, as if the process died after its third flush.
        var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual);
        foreach (var t in trials) await writer.AddAsync(t);
        Assert.Equal(3, writer.FlushCount);
        Assert.Equal(5, writer.PendingCount);

        // A crash in the middle of a flush leaves a partial temp file behind.
        var trialsBytes = await File.ReadAllBytesAsync(ResultsFolder.Trials(folder.Path));
        await File.WriteAllBytesAsync(ResultsFolder.TempPathFor(ResultsFolder.Trials(folder.Path)), trialsBytes[..(trialsBytes.Length / 2)]);
        await File.WriteAllTextAsync(ResultsFolder.TempPathFor(ResultsFolder.Curves(folder.Path)), "not parquet");

        var flushed = trials.Take(30).Select(t => t.TrialKey).Order().ToArray();
        var count = Duck.Query($"SELECT count(*) FROM {Duck.File(ResultsFolder.Trials(folder.Path))}");
        Assert.Equal(30L, count[0][0]);
        var table = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(flushed, table.Trials.Select(t => t.TrialKey).Order());
        Assert.All(table.Trials, t => Assert.Equal(3, t.Curve.Length));
        Assert.Equal(flushed, (await ResultsReader.ReadStoredKeysAsync(folder.Path)).Order());

        // Resume: the stored trials are kept and skipped, the rest are added, the stray temp files are replaced.
        await using (var resumed = await ResultsWriter.OpenAsync(folder.Path, [], Manual with { Resume = true }))
        {
            Assert.Equal(30, resumed.StoredCount);
            foreach (var t in trials) await resumed.AddAsync(t);
            Assert.Equal(30, resumed.DuplicatesDropped);
        }
        var all = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(trials.Select(t => t.TrialKey).Order(), all.Trials.Select(t => t.TrialKey).Order());
        Assert.False(File.Exists(ResultsFolder.TempPathFor(ResultsFolder.Trials(folder.Path))));
        Assert.Equal(105L, Duck.Query($"SELECT count(*) FROM {Duck.File(ResultsFolder.Curves(folder.Path))}")[0][0]);
    }

    [Fact]
    public async Task A_writer_replaced_by_a_newer_one_on_its_folder_writes_nothing_more()
    {
        // As an aggregator on a silo declared dead that finishes a write after its successor took the folder over:
        // its late rows must not put back a file without the successor's rows.
        using var folder = new TempFolder();
        var trials = Many(30);
        var replaced = await ResultsWriter.OpenAsync(folder.Path, [], Manual);
        foreach (var t in trials.Take(10)) await replaced.AddAsync(t);
        Assert.Equal(1, replaced.FlushCount);
        await using (var successor = await ResultsWriter.OpenAsync(folder.Path, [], Manual with { Resume = true }))
        {
            Assert.Equal(10, successor.StoredCount);
            foreach (var t in trials.Skip(10).Take(10)) await successor.AddAsync(t);
            Assert.Equal(1, successor.FlushCount);

            foreach (var t in trials.Skip(20).Take(9)) await replaced.AddAsync(t);
            var refused = await Assert.ThrowsAsync<IOException>(() => replaced.AddAsync(trials[29]));
            Assert.Contains("another results writer has taken over", refused.Message);
            await Assert.ThrowsAsync<IOException>(() => replaced.DisposeAsync().AsTask());
        }
        var stored = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(trials.Take(20).Select(t => t.TrialKey).Order(), stored.Trials.Select(t => t.TrialKey).Order());
        Assert.Equal(20L, Duck.Query($"SELECT count(*) FROM {Duck.File(ResultsFolder.Trials(folder.Path))}")[0][0]);
    }

    [Fact]
    public async Task Orphan_curve_rows_from_a_crash_between_the_two_renames_are_dropped()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual))
        {
            foreach (var t in Many(10)) await writer.AddAsync(t);
        }
        // Simulate: curves.parquet was published with 10 more trials, trials.parquet was not.
        var curvesOnly = Path.Combine(folder.Path, "other");
        await using (var writer = await ResultsWriter.OpenAsync(curvesOnly, [], Manual))
        {
            foreach (var t in Many(20)) await writer.AddAsync(t);
        }
        File.Copy(ResultsFolder.Curves(curvesOnly), ResultsFolder.Curves(folder.Path), overwrite: true);

        var table = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(10, table.Trials.Length);
        Assert.All(table.Trials, t => Assert.Equal(3, t.Curve.Length));
        await using (var resumed = await ResultsWriter.OpenAsync(folder.Path, [], Manual with { Resume = true })) { }
        Assert.Equal(30L, Duck.Query($"SELECT count(*) FROM {Duck.File(ResultsFolder.Curves(folder.Path))}")[0][0]);
    }

    [Fact]
    public async Task Concurrent_adds_are_each_stored_once_and_readers_only_ever_see_complete_files()
    {
        using var folder = new TempFolder();
        var trials = Many(600);
        var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual with { RowGroupTrials = 25 });
        using var done = new CancellationTokenSource();
        var reads = 0;
        var lastCount = 0;
        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                // Every snapshot must open and decode; counts never go backwards.
                var count = (await ResultsReader.ReadStoredKeysAsync(folder.Path)).Count;
                Assert.True(count >= lastCount, $"{count} < {lastCount}");
                lastCount = count;
                reads++;
            }
        });
        await Parallel.ForEachAsync(trials, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, ct) => await writer.AddAsync(t, ct));
        await Parallel.ForEachAsync(trials.Take(50), async (t, ct) => Assert.False(await writer.AddAsync(t, ct)));
        await writer.CompleteAsync();
        done.Cancel();
        await reader;
        output.WriteLine($"{reads} concurrent snapshot reads, {writer.FlushCount} flushes");
        Assert.True(reads > 0);
        var stored = await ResultsReader.ReadAsync(folder.Path);
        Assert.Equal(trials.Select(t => t.TrialKey).Order(), stored.Trials.Select(t => t.TrialKey).Order());
        Assert.Equal(50, writer.DuplicatesDropped);
        // Completion compacts the 24 flushed row groups into one.
        Assert.Equal(1L, Duck.Query($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{ResultsFolder.Trials(folder.Path)}')")[0][0]);
    }

    [Fact]
    public async Task Background_timer_flushes_a_lone_result()
    {
        using var folder = new TempFolder();
        var writer = await ResultsWriter.OpenAsync(folder.Path, [], new ResultsWriterOptions { FlushInterval = TimeSpan.FromMilliseconds(50) });
        await writer.AddAsync(Many(1)[0]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (writer.StoredCount == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, writer.StoredCount);
        Assert.Single((await ResultsReader.ReadAsync(folder.Path)).Trials);
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task A_new_writer_without_resume_starts_empty_and_the_files_exist_before_any_result()
    {
        using var folder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(folder.Path, [], Manual))
        {
            foreach (var t in Many(5)) await writer.AddAsync(t);
        }
        await using (var fresh = await ResultsWriter.OpenAsync(folder.Path, ["sigma_w2"], Manual))
        {
            var empty = await ResultsReader.ReadAsync(folder.Path);
            Assert.Empty(empty.Trials);
            Assert.Equal(new[] { "sigma_w2" }, empty.ExtraColumns);
            Assert.Equal(0L, Duck.Query($"SELECT count(*) FROM {Duck.File(ResultsFolder.Trials(folder.Path))}")[0][0]);
        }
    }

    [Fact]
    public async Task Writing_5000_trials_in_row_groups_is_fast_enough_to_keep_up()
    {
        using var folder = new TempFolder();
        var trials = Enumerable.Range(0, 5000).Select(i => Trials.Make("mup", 64 << (i % 5), -16 + i % 13, i, 1.0 + i * 1e-4, curvePoints: 30)).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var writer = await ResultsWriter.OpenAsync(folder.Path, [], new ResultsWriterOptions { RowGroupTrials = 256, FlushInterval = Timeout.InfiniteTimeSpan });
        foreach (var t in trials) await writer.AddAsync(t);
        var streamed = clock.Elapsed;
        await writer.CompleteAsync();
        var total = clock.Elapsed;
        clock.Restart();
        var table = await ResultsReader.ReadAsync(folder.Path);
        var read = clock.Elapsed;
        var size = new FileInfo(ResultsFolder.Trials(folder.Path)).Length + new FileInfo(ResultsFolder.Curves(folder.Path)).Length;
        output.WriteLine($"5000 trials x 30 curve points: {writer.FlushCount} flushes in {streamed.TotalMilliseconds:0} ms " +
            $"({streamed.TotalMilliseconds / writer.FlushCount:0.0} ms per flush), with compaction {total.TotalMilliseconds:0} ms; " +
            $"read back in {read.TotalMilliseconds:0} ms; {size / 1024} KiB on disk");
        Assert.Equal(5000, table.Trials.Length);
        Assert.Equal(150_000, table.Trials.Sum(t => t.Curve.Length));
    }
}
