using System.Diagnostics;
using System.Text.Json;
using ScaleSweep.Tests.Shared;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// The same trial and seed gives the same bits in every fresh process, for every model kind: the sweeps' verdicts
/// and the other tests rely on it. A kernel that reads memory before it is written or after it is freed passes a
/// plain repeat most of the time (the memory usually holds the same bytes), so each kind also runs with a heap
/// whose fresh and freed blocks are NaN bytes (<c>Poison/poison-heap.c</c>, LD_PRELOAD): such a read then
/// turns into a NaN or a different loss on every run.
/// </summary>
public class DeterminismTests
{
    private const string Images = "--data fashion-mnist --train-examples 256 --eval-examples 128";
    private const string Text = "--data text --train-examples 2048 --eval-examples 512";

    private static readonly Dictionary<string, string> Trials = new()
    {
        ["mlp"] = $"--model mlp --width 32 --depth 2 --param mup {Images}",
        ["resnet"] = $"--model resnet --width 32 --depth 2 --layer-norm --param depth-mup {Images}",
        ["conv-resnet"] = $"--model conv-resnet --width 8 --depth 1 --param sp {Images}",
        ["transformer"] = $"--model transformer --width 32 --depth 1 --heads 2 --context 16 --param mup {Text}",
        ["moe"] = $"--model moe --width 32 --depth 1 --heads 2 --context 16 --num-experts 2 --top-k 1 --param mup-moe {Text}",
    };

    private static readonly Lazy<string> PoisonLibrary = new(BuildPoisonLibrary);

    [Theory]
    [InlineData("conv-resnet", 20)]
    [InlineData("mlp", 5)]
    [InlineData("resnet", 5)]
    [InlineData("transformer", 5)]
    [InlineData("moe", 5)]
    public void A_trial_gives_bit_identical_results_in_fresh_processes(string kind, int runs)
    {
        var outcomes = Enumerable.Range(0, runs).Select(_ => Train(kind)).ToList();
        Assert.All(outcomes, o => Assert.StartsWith("completed ", o));
        Assert.True(outcomes.Distinct().Count() == 1,
            $"{kind}: {runs} runs gave {outcomes.Distinct().Count()} different results:\n{string.Join("\n", outcomes.GroupBy(o => o).Select(g => $"{g.Count()} × {g.Key}"))}");
    }

    [Theory]
    [InlineData("conv-resnet")]
    [InlineData("mlp")]
    [InlineData("resnet")]
    [InlineData("transformer")]
    [InlineData("moe")]
    public void A_trial_reads_no_memory_before_writing_or_after_freeing_it(string kind)
    {
        var plain = Train(kind);
        var poisoned = Train(kind, PoisonLibrary.Value);
        Assert.StartsWith("completed ", plain);
        Assert.Equal(plain, poisoned);
    }

    [Fact]
    public void A_trial_keeps_its_key_when_the_spec_gains_fields()
    {
        // Pinned from a build before the noop gate fields existed: keys name stored results (resume, reuse), so a
        // new spec field that is left unset must not change them.
        var outcome = BuiltCli.Run(TimeSpan.FromMinutes(3), null, null, TrainArgs("conv-resnet"));
        Assert.Equal("77cfe2d81c5c98f7", JsonDocument.Parse(outcome.Stdout).RootElement.GetProperty("trial_key").GetString());
    }

    /// <summary>Status and every loss figure of one <c>train</c> process, the numbers exactly as printed.</summary>
    private static string Train(string kind, string? preload = null)
    {
        var environment = preload is null ? null : new Dictionary<string, string> { ["LD_PRELOAD"] = preload };
        var outcome = BuiltCli.Run(TimeSpan.FromMinutes(3), null, environment, TrainArgs(kind));
        Assert.True(outcome.ExitCode == 0, $"{kind}: exit {outcome.ExitCode}: {outcome.Stderr}");
        var row = JsonDocument.Parse(outcome.Stdout).RootElement;
        return string.Join(" ", new[] { "status", "final_train_loss", "final_eval_loss", "best_eval_loss", "eval_accuracy", "diverged_at_step" }
            .Select(field => row.GetProperty(field).GetRawText().Trim('"')));
    }

    // The base width is given so the pinned key stays that of the trial the test always ran.
    private static string[] TrainArgs(string kind) => ["train", .. Trials[kind].Split(' '), "--optimizer", "adam", "--lr", "0.01",
        "--steps", "5", "--batch", "16", "--eval-every", "5", "--seed", "0", "--base-width", "64", "--json"];

    private static string BuildPoisonLibrary()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Poison", "poison-heap.c");
        var library = Path.Combine(Directory.CreateTempSubdirectory("poison-heap").FullName, "poison-heap.so");
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-O2", "-o", library, source, "-ldl"])
        {
            RedirectStandardError = true,
        })!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, $"gcc could not build the heap-poisoning shim (infra/setup.sh installs gcc): {errors}");
        return library;
    }
}
