using System.Diagnostics;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Diagnostics;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Benchmarks;

/// <summary>
/// Measures, in one run and side by side: the machine's dense fp32 matmul throughput (one thread and all
/// threads), the MLP training step throughput of the real trainer at several widths as a ratio of the
/// one-thread matmul figure, and process RSS after 1,000, 5,000 and 10,000 training steps (alone and packed).
/// Targets (README, Benchmarks): step/matmul ≥ 0.8; RSS growth ≤ 5%.
/// </summary>
public static class TrainingBenchmark
{
    public sealed record MatmulFigure(int Threads, int Size, double Gflops);
    public sealed record StepFigure(int Width, int Depth, int Batch, double Gflops, double RatioToMatmul, double PageFaultsPerStep);
    /// <summary>RSS of one run after 1,000 steps, halfway and at the end (before the final evaluation), packed or alone.</summary>
    public sealed record MemoryFigure(string Run, long RssAt1000, long RssHalfway, long RssAtEnd)
    {
        public double Ratio => (double)RssAtEnd / RssAt1000;
    }

    public sealed record Report(MatmulFigure OneThread, MatmulFigure AllThreads, IReadOnlyList<StepFigure> Steps);

    /// <summary>The memory runs, each measured by <see cref="Memory"/> in a process of its own.</summary>
    public static readonly IReadOnlyList<string> MemoryRuns = ["alone", "packed"];

    public static Report Run(IReadOnlyList<int> widths, int depth = 3, int batch = 256, Action<string>? log = null)
    {
        var one = Matmul(1, 1024);
        log?.Invoke($"matmul 1024³ fp32, 1 thread: {one.Gflops:F1} GFLOP/s");
        var all = Matmul(Environment.ProcessorCount, 1024);
        log?.Invoke($"matmul 1024³ fp32, {all.Threads} threads: {all.Gflops:F1} GFLOP/s");

        var steps = new List<StepFigure>();
        foreach (var width in widths)
        {
            var figure = Step(width, depth, batch, one.Gflops);
            log?.Invoke($"MLP step width {width}: {figure.Gflops:F1} GFLOP/s = {figure.RatioToMatmul:P0} of matmul, {figure.PageFaultsPerStep:F0} page faults per step");
            steps.Add(figure);
        }
        set_num_threads(1);
        return new Report(one, all, steps);
    }

    public static MatmulFigure Matmul(int threads, int size)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();
        using var generator = new Generator(0);
        var a = randn([size, size], generator: generator);
        var b = randn([size, size], generator: generator);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        int repeats = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 1.5 || repeats < 5)
        {
            a.matmul(b).Dispose();
            repeats++;
        }
        return new MatmulFigure(threads, size, 2.0 * size * size * size * repeats / watch.Elapsed.TotalSeconds / 1e9);
    }

    /// <summary>Training step throughput of the real trainer: 6 FLOPs per weight per sample (forward 2, backward 4).</summary>
    public static StepFigure Step(int width, int depth, int batch, double matmulGflops)
    {
        const int steps = 60, settled = 10;
        var spec = Spec(width, depth, batch, steps);
        long faultsAtSettled = 0, faultsAtEnd = 0;
        var result = new TorchTrialRunner().Run(spec, p =>
        {
            if (p.Step == settled) faultsAtSettled = PageFaults.OfThisThread();
            if (p.Step == steps) faultsAtEnd = PageFaults.OfThisThread();
        }, default);
        var weights = SyntheticInputs * width + (long)(depth - 1) * width * width + width * 10L;
        var gflops = 6.0 * weights * result.SamplesPerSecond / 1e9;
        return new StepFigure(width, depth, batch, gflops, gflops / matmulGflops, (faultsAtEnd - faultsAtSettled) / (double)(steps - settled));
    }

    /// <summary>
    /// One of <see cref="MemoryRuns"/>: <c>alone</c>, one width-256 trial; <c>packed</c>, four width-64 trials
    /// (different seeds) as one pack, read at the first member's steps. Each runs one step more than measured: the
    /// last step evaluates, and the memory the evaluation takes (held by the allocator, see NativeHeap) is not growth
    /// over the steps. Meant for a fresh process: memory an earlier measurement freed would blur the figure.
    /// </summary>
    public static MemoryFigure Memory(string run, int steps)
    {
        var rss = new RssReadings(steps);
        if (run == "alone")
        {
            new TorchTrialRunner().Run(Spec(256, 3, 128, steps + 1), p => rss.At(p.Step), default);
            return rss.Figure("width 256 alone");
        }
        if (run != "packed") throw new ArgumentException($"memory run '{run}': one of {string.Join(", ", MemoryRuns)}");
        var specs = Enumerable.Range(0, 4).Select(seed => Spec(64, 3, 128, steps + 1) with { Seed = seed }).ToArray();
        new PackedTrialRunner().Run([.. specs.Select((s, i) => new PackMember(s, i == 0 ? p => rss.At(p.Step) : null))], 0);
        return rss.Figure("4 × width 64 packed");
    }

    public static string Describe(MemoryFigure m, int steps) =>
        $"RSS, {m.Run}: after 1,000 steps {Mib(m.RssAt1000)} MiB, {steps / 2:N0} {Mib(m.RssHalfway)}, {steps:N0} {Mib(m.RssAtEnd)}; ratio {m.Ratio:F3}";

    private sealed class RssReadings(int steps)
    {
        private long _at1000, _halfway, _atEnd;

        public void At(int step)
        {
            if (step == 1000) _at1000 = Rss();
            if (step == steps / 2) _halfway = Rss();
            if (step == steps) _atEnd = Rss();
        }

        public MemoryFigure Figure(string run) => new(run, _at1000, _halfway, _atEnd);
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1");

    private const int SyntheticInputs = 64;

    private static TrialSpec Spec(int width, int depth, int batch, int steps) =>
        new("mup", new ModelConfig("mlp", width, depth), new DataConfig("synthetic"),
            // Never diverges; finite because the trial key serialises the spec as JSON, which has no infinity.
            new OptimConfig("adam", 1e-3, steps, batch, EvalEvery: 0) { DivergenceFactor = 1e9 },
            new BaseShape(64, depth), 0, ParameterizationOptions.Default);

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
