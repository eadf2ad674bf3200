using System.Text.Json.Nodes;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Commands;

namespace ScaleSweep.Training.Tests.Commands;

/// <summary>The stdout protocol and the failure semantics of command trials, with /bin/sh programs.</summary>
public sealed class CommandTrialRunnerTests : IDisposable
{
    private readonly CommandPrograms _programs = new();
    private readonly CommandTrialRunner _runner = new() { Grace = TimeSpan.FromSeconds(2) };

    public void Dispose() => _programs.Dispose();

    private TrialContext Context(TrialSpec spec) =>
        new("sweep-1", TrialKey.For(spec), 2) { ResultsFolder = _programs.Folder, Device = "cuda:3" };

    private string LogOf(TrialSpec spec) => File.ReadAllText(TrialLog.PathOf(_programs.Folder, TrialKey.For(spec)));

    [Fact]
    public void Progress_lines_become_the_curve_and_the_final_line_the_result_with_its_extra_keys()
    {
        var program = _programs.Script("train.sh", """
            echo 'loading data'
            echo '{"step": 10, "train_loss": 2.5}'
            echo 'warning: something' >&2
            echo '{"step": 20, "train_loss": 2.0, "eval_loss": 2.2}'
            echo 'not json {'
            echo '{"final_eval_loss": 1.75, "final_train_loss": 1.5, "eval_accuracy": 0.625, "grad_norm": 3.5, "name": "x"}'
            """);
        var spec = CommandPrograms.Trial(program);
        var progress = new List<TrialProgress>();
        var measured = _runner.Run(spec, Context(spec), progress.Add, CancellationToken.None);

        Assert.Equal(TrialStatus.Completed, measured.Status);
        Assert.Equal(1.75, measured.FinalEvalLoss);
        Assert.Equal(1.5, measured.FinalTrainLoss);
        Assert.Equal(0.625, measured.EvalAccuracy);
        Assert.Equal(1.75, measured.BestEvalLoss);
        Assert.Equal(20, measured.Steps);
        Assert.Equal([new CurvePoint(10, 2.5, null, 0.01), new CurvePoint(20, 2.0, 2.2, 0.01)], measured.Curve.ToArray());
        Assert.Equal([10, 20], progress.Select(p => p.Step));
        Assert.Equal(3.5, Assert.Single(measured.Metrics, m => m.Key == "grad_norm").Value);
        Assert.DoesNotContain("name", measured.Metrics.Keys);
        var log = LogOf(spec);
        Assert.Contains("loading data", log);
        Assert.Contains("warning: something", log);
        Assert.Contains("not json {", log);
        Assert.DoesNotContain("train_loss", log);
    }

    [Fact]
    public void The_program_gets_the_trial_on_stdin_and_in_its_file_with_placeholders_device_and_threads()
    {
        var program = _programs.Script("echo.sh", $$"""
            cat > "{{_programs.Folder}}/stdin.json"
            cp "$SCALESWEEP_TRIAL" "{{_programs.Folder}}/file.json"
            echo "args=$1,$2 omp=$OMP_NUM_THREADS cuda=$CUDA_VISIBLE_DEVICES" >&2
            echo '{"final_eval_loss": 1}'
            """);
        var spec = CommandPrograms.Trial(program, 0, "--lr={lr}", "{width}x{{depth}}") with { Threads = 3, Device = "cuda" };
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Completed, measured.Status);
        var stdin = JsonNode.Parse(File.ReadAllText(Path.Combine(_programs.Folder, "stdin.json")))!;
        Assert.Equal(File.ReadAllText(Path.Combine(_programs.Folder, "file.json")), stdin.ToJsonString());
        Assert.Equal(TrialKey.For(spec), stdin["trial_key"]!.GetValue<string>());
        Assert.Equal("sweep-1", stdin["sweep_id"]!.GetValue<string>());
        Assert.Equal(2, stdin["attempt"]!.GetValue<int>());
        Assert.Equal(128, stdin["width"]!.GetValue<int>());
        Assert.Equal(0.01, stdin["lr"]!.GetValue<double>());
        Assert.Equal(3, stdin["seed"]!.GetValue<int>());
        Assert.Equal("mup", stdin["parameterization"]!.GetValue<string>());
        Assert.NotNull(stdin["rules"]!["roles"]!["hidden"]!["init_std"]);
        Assert.Contains("args=--lr=0.01,128x{depth} omp=3 cuda=3", LogOf(spec));
    }

    [Fact]
    public void A_diverged_report_is_a_diverged_trial()
    {
        var program = _programs.Script("nan.sh", """
            echo '{"step": 5, "train_loss": 2.3}'
            echo '{"status": "diverged", "diverged_at_step": 7, "final_train_loss": null}'
            """);
        var spec = CommandPrograms.Trial(program);
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Diverged, measured.Status);
        Assert.Equal(7, measured.DivergedAtStep);
        Assert.Equal(7, measured.Steps);
        Assert.Null(measured.FinalEvalLoss);
    }

    [Fact]
    public void A_program_without_a_final_line_fails_with_the_end_of_its_stderr()
    {
        var program = _programs.Script("quiet.sh", """
            echo '{"step": 1, "train_loss": 2.3}'
            for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do echo "stderr line $i" >&2; done
            """);
        var spec = CommandPrograms.Trial(program);
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, measured.Status);
        Assert.Contains("without a final result line", measured.Error);
        Assert.Contains("stderr line 25", measured.Error);
        Assert.DoesNotContain("stderr line 1\n", measured.Error);
    }

    [Fact]
    public void A_non_zero_exit_fails_even_after_a_final_line()
    {
        var program = _programs.Script("crash.sh", """
            echo '{"final_eval_loss": 1.0}'
            echo 'Traceback: boom' >&2
            exit 3
            """);
        var spec = CommandPrograms.Trial(program);
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, measured.Status);
        Assert.Contains("exited with code 3", measured.Error);
        Assert.Contains("Traceback: boom", measured.Error);
    }

    [Fact]
    public void A_malformed_final_line_fails_naming_the_line()
    {
        var program = _programs.Script("broken.sh", """
            echo '{"step": 1, "train_loss": 2.3}'
            echo '{"final_eval_loss": 1.2,'
            """);
        var spec = CommandPrograms.Trial(program);
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, measured.Status);
        Assert.Contains("malformed JSON on stdout line 2", measured.Error);
        Assert.Contains("{\"final_eval_loss\": 1.2,", measured.Error);
    }

    [Fact]
    public void A_timeout_kills_the_whole_process_group_and_fails()
    {
        var pids = Path.Combine(_programs.Folder, "pids");
        // The program starts a grandchild that would outlive it if only the program were killed.
        var program = _programs.Script("slow.sh", $$"""
            sleep 600 &
            echo "$$ $!" > "{{pids}}"
            trap '' TERM
            sleep 600
            """);
        var spec = CommandPrograms.Trial(program, timeoutSeconds: 1);
        var measured = _runner.Run(spec, Context(spec), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, measured.Status);
        Assert.StartsWith("timed out after 1 s", measured.Error);
        foreach (var pid in File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
            Assert.True(CommandPrograms.GoneWithin(pid, TimeSpan.FromSeconds(5)), $"process {pid} outlived the timed-out trial");
    }

    [Fact]
    public void Cancelling_stops_the_process_group_and_returns_a_cancelled_trial()
    {
        var pids = Path.Combine(_programs.Folder, "pids");
        var program = _programs.Script("long.sh", $$"""
            sleep 600 &
            echo "$$ $!" > "{{pids}}"
            echo '{"step": 1, "train_loss": 2.0}'
            wait
            """);
        var spec = CommandPrograms.Trial(program);
        using var cancel = new CancellationTokenSource();
        // Cancelled at the first progress point: the program is surely running by then.
        var measured = _runner.Run(spec, Context(spec), _ => cancel.Cancel(), cancel.Token);
        Assert.Equal(TrialStatus.Cancelled, measured.Status);
        foreach (var pid in File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
            Assert.True(CommandPrograms.GoneWithin(pid, TimeSpan.FromSeconds(5)), $"process {pid} outlived the cancelled trial");
    }

    [Fact]
    public void A_missing_program_fails_before_anything_starts_naming_the_field()
    {
        var spec = CommandPrograms.Trial(Path.Combine(_programs.Folder, "nope.sh"));
        var error = Assert.Throws<InvalidOperationException>(() => _runner.Run(spec, Context(spec), null, CancellationToken.None));
        Assert.StartsWith("model.run[0]: ", error.Message);
        Assert.Contains("does not exist", error.Message);
    }
}
