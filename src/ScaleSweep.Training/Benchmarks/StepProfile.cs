using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Training.Benchmarks;

/// <summary>
/// Where the quickstart trial's training step spends its time, per width: the real trainer (784→w→w→10 ReLU MLP
/// on Fashion-MNIST, μP, Adam, batch 128, 1 thread) with its phases lapped by a <see cref="StepTimer"/>. Each
/// width runs <see cref="Repetitions"/> times; the run with the median step time is reported. Times are the
/// trainer thread's CPU milliseconds (what the step costs, also on a busy machine) and, for the step, wall ms.
/// </summary>
public static class StepProfile
{
    public const int Repetitions = 3;
    private const int WarmupSteps = 20;

    public static readonly IReadOnlyList<int> DefaultWidths = [64, 128, 256, 1024];

    /// <summary>CPU milliseconds per step, in total and per phase, and wall milliseconds per step.</summary>
    public sealed record WidthProfile(int Width, int Steps, double StepMs, IReadOnlyDictionary<string, double> PhaseMs, double WallStepMs);

    public static IReadOnlyList<WidthProfile> Run(IReadOnlyList<int> widths, Action<string>? log = null)
    {
        var profiles = new List<WidthProfile>();
        log?.Invoke($"step profile, quickstart MLP (fashion-mnist, mup, adam, batch 128, 1 thread), CPU ms per step, median of {Repetitions} runs:");
        log?.Invoke($"{"width",6} {"step",8} " + string.Join(" ", Enum.GetValues<StepPhase>().Select(p => $"{Column(p),9}")) + $" {"wall step",9}");
        foreach (var width in widths)
        {
            var runs = Enumerable.Range(0, Repetitions).Select(_ => Measure(width)).OrderBy(p => p.StepMs).ToArray();
            var median = runs[runs.Length / 2];
            log?.Invoke($"{width,6} {median.StepMs,8:F3} " + string.Join(" ", median.PhaseMs.Values.Select(v => $"{v,9:F3}")) + $" {median.WallStepMs,9:F3}");
            profiles.Add(median);
        }
        return profiles;
    }

    private static WidthProfile Measure(int width)
    {
        // Enough steps for about a second of counted steps at every width.
        var counted = width >= 1024 ? 60 : width >= 256 ? 200 : 400;
        var timer = new StepTimer(WarmupSteps);
        new TorchTrialRunner { Timer = timer }.Run(Spec(width, WarmupSteps + counted), null, default);
        var phases = Enum.GetValues<StepPhase>().ToDictionary(Column, timer.CpuMillisecondsPerStep);
        return new WidthProfile(width, timer.Steps, phases.Values.Sum(), phases,
            Enum.GetValues<StepPhase>().Sum(timer.WallMillisecondsPerStep));
    }

    private static string Column(StepPhase phase) => phase switch
    {
        StepPhase.BatchAssembly => "batch",
        StepPhase.Forward => "forward",
        StepPhase.Backward => "backward",
        StepPhase.Optimizer => "optimizer",
        StepPhase.LossReadBack => "loss",
        StepPhase.DisposeScope => "dispose",
        _ => phase.ToString(),
    };

    /// <summary>The quickstart's trial at one width; eval only on a small set at the end (not timed).</summary>
    public static TrialSpec Spec(int width, int steps) =>
        new("mup", new ModelConfig("mlp", width, 2), new DataConfig("fashion-mnist") { EvalExamples = 256 },
            new OptimConfig("adam", Math.Pow(2, -8), steps, 128, EvalEvery: 0) { DivergenceFactor = 1e9 },
            new BaseShape(64, 2), 0, ParameterizationOptions.Default);
}
