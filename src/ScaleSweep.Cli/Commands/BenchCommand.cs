using System.Text.Json;
using System.CommandLine;
using ScaleSweep.Training.Benchmarks;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep bench</c>: training throughput against the machine's matmul, and memory growth; with
/// <c>--sequence-models</c> also the Transformer and MoE step throughput; with <c>--profile</c> only where the
/// quickstart trial's step spends its time, per width.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench",
            "Benchmark: dense matmul GFLOP/s (1 and all threads), MLP training step GFLOP/s per width and its ratio to " +
            "the 1-thread matmul (target ≥ 0.8), RSS of a trial alone and of a pack after 1,000, 5,000 and 10,000 steps, each in a fresh process (target growth ≤ 5%).");
        var widths = new Option<string>("--widths")
        {
            Description = "MLP widths (default 256,512,1024; with --profile 64,128,256,1024).",
        };
        var steps = new Option<int>("--memory-steps") { Description = "Steps for the memory measurement (at least 2000).", DefaultValueFactory = _ => 10_000 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        var sequenceModels = new Option<bool>("--sequence-models")
        {
            Description = "Then also the Transformer and MoE training step GFLOP/s (width 256, 1 thread, text data; the MoE counts every expert).",
        };
        var profile = new Option<bool>("--profile")
        {
            Description = "Only the step profile: ms per step of the quickstart trial (784→w→w→10 ReLU MLP, Fashion-MNIST, μP, " +
                "Adam, batch 128, 1 thread) split into batch assembly, forward, backward, optimizer, loss read-back and " +
                $"dispose scope; median of {StepProfile.Repetitions} runs per width.",
        };
        command.Options.Add(widths);
        command.Options.Add(profile);
        command.Options.Add(steps);
        command.Options.Add(json);
        command.Options.Add(sequenceModels);
        // Internal: one memory figure in this process (the parent runs each in a fresh one).
        var memoryRun = new Option<string?>("--memory-run") { Hidden = true };
        command.Options.Add(memoryRun);
        command.SetAction(async (parse, ct) =>
        {
            var profiling = parse.GetValue(profile);
            var list = (parse.GetValue(widths) ?? (profiling ? string.Join(',', StepProfile.DefaultWidths) : "256,512,1024"))
                .Split(',').Select(w => int.TryParse(w, out var v) && v > 0 ? v
                    : throw new UsageException($"--widths: '{w}' is not a positive integer")).ToArray();
            var asJson = parse.GetValue(json);
            if (profiling)
            {
                var profiles = StepProfile.Run(list, asJson ? null : Console.WriteLine);
                if (asJson) Console.WriteLine(CliJson.ToNode(profiles).ToJsonString(CliJson.Options));
                return CliRunner.Ok;
            }
            var memorySteps = parse.GetValue(steps);
            if (memorySteps < 2000) throw new UsageException("--memory-steps: must be at least 2000 (the first reading is at step 1,000)");
            if (parse.GetValue(memoryRun) is { } run)
            {
                if (!TrainingBenchmark.MemoryRuns.Contains(run))
                    throw new UsageException($"--memory-run: '{run}' is not one of {string.Join(", ", TrainingBenchmark.MemoryRuns)}");
                Console.WriteLine(CliJson.ToNode(TrainingBenchmark.Memory(run, memorySteps)).ToJsonString(CliJson.Options));
                return CliRunner.Ok;
            }
            Action<string>? log = asJson ? null : Console.WriteLine;
            var report = TrainingBenchmark.Run(list, log: log);
            var memory = new List<TrainingBenchmark.MemoryFigure>();
            foreach (var name in TrainingBenchmark.MemoryRuns)
            {
                var child = await ChildProcess.RunAsync(ChildProcess.Self(["bench", "--memory-run", name, "--memory-steps", $"{memorySteps}"]), ct);
                var figure = child.Result.Deserialize<TrainingBenchmark.MemoryFigure>(CliJson.Options)!;
                log?.Invoke(TrainingBenchmark.Describe(figure, memorySteps));
                memory.Add(figure);
            }
            var sequence = parse.GetValue(sequenceModels) ? SequenceModelBenchmark.RunBoth(log: log) : null;
            if (asJson)
            {
                var document = CliJson.ToNode(report);
                document["memory"] = CliJson.ToNode(memory);
                if (sequence is not null) document["sequence_models"] = CliJson.ToNode(sequence);
                Console.WriteLine(document.ToJsonString(CliJson.Options));
            }
            return CliRunner.Ok;
        });
        return command;
    }
}
