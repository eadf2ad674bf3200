using System.Text.Json.Nodes;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>
/// Command trials through the CLI: the protocol through an embedded <c>run</c>, spec errors before anything starts,
/// a cluster silo's <c>--allow-commands</c>, and no training process outliving a SIGKILLed silo.
/// </summary>
public sealed class CommandTrialTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalesweep-cmd-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public CommandTrialTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private string Script(string folder, string name, string body)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string Spec(string folder, string name, string model, string extra = "")
    {
        var path = Path.Combine(folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            model: {model}
            train: {"{"} steps: 20 {"}"}
            parameterizations: [sp, mup]
            base: {"{"} width: 64, depth: 2 {"}"}
            grid:
              width: [64, 128]
              lr: [0.001, 0.01]
              seed: [0]
            {extra}
            """);
        return path;
    }

    [Fact]
    public async Task Run_stores_curves_declared_metrics_and_logs_and_a_failing_program_fails_after_its_retries()
    {
        // Loss is lowest at lr 0.01 for sp and 0.001 for mup; width 128 of mup fails (its stderr must reach the error).
        var program = Script(_dir, "train.sh", """
            echo "starting $1 $2 $3"
            if [ "$1" = mup ] && [ "$2" = 128 ]; then echo "CUDA out of memory" >&2; exit 1; fi
            echo '{"step": 10, "train_loss": 2.0}'
            echo '{"step": 20, "train_loss": 1.5, "eval_loss": 1.6}'
            loss=1.0; if [ "$1" = sp ] && [ "$3" = 0.001 ]; then loss=1.2; fi; if [ "$1" = mup ] && [ "$3" = 0.01 ]; then loss=1.2; fi
            echo "{\"final_eval_loss\": $loss, \"tokens_seen\": $(($2 * 10))}"
            """);
        var spec = Spec(_dir, "cmd-run", $"{{ kind: command, run: ['{program}', '{{parameterization}}', '{{width}}', '{{lr}}'], metrics: [tokens_seen] }}",
            "resources: { max_attempts: 2 }");
        var output = Path.Combine(_dir, "out");

        var run = CliProcess.Run(Timeout, "run", spec, "--out", output, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var table = await ResultsReader.ReadAsync(output);
        Assert.Equal(8, table.Trials.Length);
        Assert.Contains("tokens_seen", table.ExtraColumns);
        var completed = table.Trials.Where(t => t.Status == Abstractions.Trials.TrialStatus.Completed).ToArray();
        Assert.Equal(6, completed.Length);
        Assert.All(completed, t => Assert.Equal(t.Width * 10, t.Extra["tokens_seen"]));
        Assert.All(completed, t => Assert.Equal([10, 20], t.Curve.Select(p => p.Step)));
        var failed = table.Trials.Where(t => t.Status == Abstractions.Trials.TrialStatus.Failed).ToArray();
        Assert.Equal(2, failed.Length);
        Assert.All(failed, t => Assert.Contains("CUDA out of memory", t.Error));
        Assert.All(failed, t => Assert.Equal(2, t.Attempt));
        // Both attempts of a failing trial are in its log; the non-protocol stdout of a good one is in its own.
        var failedLog = File.ReadAllText(TrialLogPath(output, failed[0].TrialKey));
        Assert.Contains("# attempt 1", failedLog);
        Assert.Contains("# attempt 2", failedLog);
        Assert.Contains("starting sp 64 0.001", File.ReadAllText(TrialLogPath(output, table.Trials.Single(t => t.Parameterization == "sp" && t.Width == 64 && t.Lr == 0.001).TrialKey)));
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(6, (int)json["completed"]!);
    }

    private static string TrialLogPath(string output, string key) => Path.Combine(output, "logs", key + ".log");

    [Fact]
    public void Validate_and_run_reject_an_unknown_placeholder_and_a_missing_program_with_their_field_paths()
    {
        var program = Script(_dir, "ok.sh", "echo '{\"final_eval_loss\": 1}'");
        var placeholder = Spec(_dir, "bad-placeholder", $"{{ kind: command, run: ['{program}', '--lr={{learning_rate}}'] }}");
        var validate = CliProcess.Run(Timeout, "validate", placeholder);
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("model.run[1]", validate.Stderr);
        Assert.Contains("unknown placeholder '{learning_rate}'", validate.Stderr);

        var missing = Spec(_dir, "no-program", $"{{ kind: command, run: ['{_dir}/nope.py'] }}");
        var run = CliProcess.Run(Timeout, "run", missing, "--out", Path.Combine(_dir, "never"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("model.run[0]", run.Stderr);
        Assert.Contains("does not exist", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "never")));
        // In cluster mode the program is looked for on the silos, not here.
        Assert.Equal(0, CliProcess.Run(Timeout, "validate", missing, "--cluster").ExitCode);
    }

    [Fact]
    public async Task A_cluster_silo_without_allow_commands_refuses_a_command_sweep_naming_the_flag()
    {
        using var cluster = new LocalCluster();
        await cluster.StartSilosAsync("plain");
        var program = Script(cluster.ResultsRoot, "ok.sh", "echo '{\"final_eval_loss\": 1}'");
        var spec = Spec(cluster.ResultsRoot, "refused", $"{{ kind: command, run: ['{program}'] }}", "output: refused");

        var submit = CliProcess.Run(CliProcess.ClientBound, "submit", spec, "--redis", cluster.Redis.Address);
        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("--allow-commands", submit.Stderr);
        Assert.Empty(submit.Stdout.Trim());
    }

    [Fact]
    public async Task A_sigkilled_silo_leaves_no_training_process_behind()
    {
        using var cluster = new LocalCluster();
        var silos = await cluster.StartSilosAsync(["worker"], ["--allow-commands"]);
        var pids = Path.Combine(cluster.ResultsRoot, "pids");
        Directory.CreateDirectory(pids);
        // Each trial records its pid and its child's, then runs until killed (it ignores SIGTERM, like a stuck program).
        var program = Script(cluster.ResultsRoot, "stuck.sh", $$"""
            trap '' TERM
            sleep 600 &
            echo "$$ $!" > "{{pids}}/$$.tmp" && mv "{{pids}}/$$.tmp" "{{pids}}/$$"
            echo '{"step": 1, "train_loss": 2.0}'
            wait
            """);
        var spec = Spec(cluster.ResultsRoot, "stuck", $"{{ kind: command, run: ['{program}'] }}", "output: stuck");
        cluster.Submit(spec);

        // The gate: both slots run a trial (two programs with their children exist) before the kill.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Directory.GetFiles(pids).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no trial started\n{silos[0].Log}");
            await Task.Delay(100);
        }
        var started = Directory.GetFiles(pids).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllText(f).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToArray();
        Assert.Equal(4, started.Length);
        Assert.All(started, pid => Assert.True(Running(pid), $"process {pid} is not running before the kill"));

        silos[0].Kill();

        foreach (var pid in started)
            Assert.True(await GoneWithinAsync(pid, TimeSpan.FromSeconds(10)), $"process {pid} outlived the SIGKILLed silo");
    }

    /// <summary>A process that exists and is not a zombie (a killed process whose parent has not reaped it yet is gone).</summary>
    private static bool Running(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] != 'Z'; }
        catch (IOException) { return false; }
    }

    private static async Task<bool> GoneWithinAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Running(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }
}
