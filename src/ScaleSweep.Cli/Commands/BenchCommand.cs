using System.CommandLine;
using ScaleSweep.Training.Benchmarks;

namespace ScaleSweep.Cli.Commands;

/// <summary><c>scalesweep bench</c>: training throughput against the machine's matmul, and memory growth.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench",
            "Benchmark: dense matmul GFLOP/s (1 and all threads), MLP training step GFLOP/s per width and its ratio to " +
            "the 1-thread matmul (target ≥ 0.8), process RSS after 1,000 and 10,000 steps (target growth ≤ 5%).");
        var widths = new Option<string>("--widths") { Description = "MLP widths.", DefaultValueFactory = _ => "256,512,1024" };
        var steps = new Option<int>("--memory-steps") { Description = "Steps for the memory measurement.", DefaultValueFactory = _ => 10_000 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        command.Options.Add(widths);
        command.Options.Add(steps);
        command.Options.Add(json);
        command.SetAction((parse, _) =>
        {
            var list = parse.GetValue(widths)!.Split(',').Select(w =>
                int.TryParse(w, out var v) && v > 0 ? v : throw new UsageException($"--widths: '{w}' is not a positive integer")).ToArray();
            if (parse.GetValue(steps) < 1000) throw new UsageException("--memory-steps: must be at least 1000");
            var asJson = parse.GetValue(json);
            var report = TrainingBenchmark.Run(list, memorySteps: parse.GetValue(steps), log: asJson ? null : Console.WriteLine);
            if (asJson) Console.WriteLine(CliJson.ToNode(report).ToJsonString(CliJson.Options));
            return Task.FromResult(CliRunner.Ok);
        });
        return command;
    }
}
