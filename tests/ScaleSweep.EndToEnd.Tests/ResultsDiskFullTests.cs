using System.Diagnostics;
using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Results;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// The results disk fills up mid-sweep (a small tmpfs filled to the last byte) and is freed again: the results are
/// kept meanwhile, <c>status</c> says why they are not written, and they are written once when space returns.
/// </summary>
public class ResultsDiskFullTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Results_are_kept_while_the_disk_is_full_and_written_once_space_returns()
    {
        using var cluster = new LocalCluster();
        var folder = Path.Combine(cluster.ResultsRoot, "e2e-full");
        using var disk = ResultsDisk.Create(folder);
        output.WriteLine($"fault: {disk.Kind}");
        await cluster.StartSilosAsync("full-a", "full-b", "full-c");
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-full.gate");
        var spec = cluster.WriteSpec("e2e-full", workMs: 100, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);

        // 12 results stored, the rest held by the gate: the disk fills at a known point.
        await cluster.WaitForAsync(id, s => s.Counts.Final >= 12, Finish);
        var deadline = DateTime.UtcNow + Finish;
        while (StoredKeys(folder).Length < 12)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first 12 results never reached trials.parquet");
            await Task.Delay(100);
        }
        disk.Fill();
        File.WriteAllText(gate, "open");

        // Every trial finishes while nothing can be written: status says why, the file keeps its 12 whole rows.
        var full = await cluster.WaitForAsync(id, s => s.Counts.Final == 63 && s.ResultsError is not null, Finish);
        Assert.False(full.Finalized);
        Assert.StartsWith("writing trials.parquet: ", full.ResultsError);
        Assert.Contains(disk.Error, full.ResultsError);
        var json = CliProcess.Run(CliProcess.ClientBound, "status", id, "--redis", cluster.Redis.Address, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.Contains(disk.Error, (string?)JsonNode.Parse(json.Stdout)!["results_error"]);
        var text = CliProcess.Run(CliProcess.ClientBound, "status", id, "--redis", cluster.Redis.Address);
        Assert.Contains($"results error: writing trials.parquet: ", text.Stdout);
        output.WriteLine(text.Stdout);
        Assert.Equal(12, StoredKeys(folder).Length);

        // watch, following while the disk is full, says so on a line of its own, then that it cleared.
        using var watch = CliProcess.Start("watch", id, "--redis", cluster.Redis.Address, "--interval", "0.5");
        await watch.WaitForLogAsync("results error: writing trials.parquet: ", Finish);
        disk.Free();
        var done = await cluster.WaitForAsync(id, s => s.Finalized, Finish);
        Assert.Equal(0, watch.WaitForExit(Finish));
        Assert.Contains("results error cleared: results written", watch.Log);
        Assert.Null(done.ResultsError);
        Assert.Equal(63, done.Counts.Completed);
        var keys = StoredKeys(folder);
        Assert.Equal(LocalCluster.PlannedKeys(spec).Order(), keys.Order());
    }

    private static string[] StoredKeys(string folder) =>
        ResultsReader.HasResults(folder) ? [.. ResultsReader.ReadAsync(folder).GetAwaiter().GetResult().Trials.Select(t => t.TrialKey)] : [];

    /// <summary>
    /// The results folder as a disk that can fill up: a 16 MB tmpfs filled by a file (root), else a folder made
    /// read-only (a user, for whom permissions hold); root without mount rights cannot make either fault.
    /// </summary>
    private sealed class ResultsDisk : IDisposable
    {
        private readonly string _folder;
        private readonly string _filler;
        private readonly bool _mounted;

        private ResultsDisk(string folder, bool mounted)
        {
            _folder = folder;
            _mounted = mounted;
            _filler = Path.Combine(folder, "filler.bin");
        }

        public string Kind => _mounted ? "tmpfs filled to the last byte" : "folder made read-only";

        /// <summary>What the operating system says, as status shows it.</summary>
        public string Error => _mounted ? "No space left on device" : "denied";

        public static ResultsDisk Create(string folder)
        {
            Directory.CreateDirectory(folder);
            if (Environment.UserName != "root") return new ResultsDisk(folder, mounted: false);
            var mount = Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", folder);
            Assert.True(mount.ExitCode == 0, $"as root the test needs to mount a tmpfs: {mount.Error}");
            return new ResultsDisk(folder, mounted: true);
        }

        public void Fill()
        {
            if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("a read-only folder needs Unix permissions");
            if (!_mounted)
            {
                File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                return;
            }
            var chunk = new byte[64 * 1024];
            try
            {
                using var stream = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
                while (true) stream.Write(chunk);
            }
            catch (IOException)
            {
                // Full: the point.
            }
        }

        public void Free()
        {
            if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("a read-only folder needs Unix permissions");
            if (_mounted) File.Delete(_filler);
            else File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public void Dispose()
        {
            if (_mounted) Run("umount", "-l", _folder);
        }

        private static (int ExitCode, string Error) Run(string file, params string[] args)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Trim());
        }
    }
}
