using System.CommandLine;
using System.Globalization;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Training.Benchmarks;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// <c>scalesweep bench-pytorch</c>: the quickstart trial (784→w→w→10 ReLU MLP, Adam, batch 128, Fashion-MNIST, 1 thread)
/// trained by ScaleSweep and by the plain PyTorch eager script shipped in bench/, each side its own process, interleaved
/// per width and repetition; medians and the ratio per width (PyTorch ms ÷ ScaleSweep ms: above 1 is ScaleSweep
/// faster). Then the quickstart sweep's wall time against its FLOP-bound ideal. Prints the figures; never fails on them.
/// </summary>
public static class BenchPytorchCommand
{
    private const double TargetStepRatio = 1.0, TargetIdealFraction = 1.3;

    /// <summary>The reference script beside the CLI (copied there by the build).</summary>
    private static string DefaultScript => Path.Combine(AppContext.BaseDirectory, "bench", "pytorch_mlp.py");

    public static Command Create()
    {
        var command = new Command("bench-pytorch",
            "Benchmark: the quickstart trial per width in ScaleSweep and in plain PyTorch eager (bench/pytorch_mlp.py, Debian's " +
            "python3-torch), interleaved; medians and ratios (target ≥ 1.0: ScaleSweep at least as fast), the BLAS the reference " +
            "used; 8 trials packed against one by one (target ≥ 2.5 at widths 64–256) and the most any packing could give here; then the quickstart sweep's wall time ÷ its " +
            "FLOP-bound ideal (target ≤ 1.3).");
        var widths = new Option<string>("--widths") { Description = "Hidden widths.", DefaultValueFactory = _ => "64,128,256,1024" };
        var repetitions = new Option<int>("--repetitions") { Description = "Interleaved runs per width and side; medians are printed.", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "Training steps per run.", DefaultValueFactory = _ => 200 };
        var python = new Option<string>("--python") { Description = "Python with torch (Debian's python3-torch).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var packWidths = new Option<string>("--pack-widths") { Description = "Widths at which 8 trials are also trained as one pack against one after another ('none' skips it).", DefaultValueFactory = _ => "64,128,256" };
        var sweep = new Option<string>("--sweep") { Description = "Spec whose wall time is compared with its FLOP-bound ideal; 'none' skips it.", DefaultValueFactory = _ => "sweeps/quickstart.yaml" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document and nothing else." };
        foreach (var option in new Option[] { widths, repetitions, steps, python, packWidths, sweep, json }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var list = Widths(parse.GetValue(widths)!, "--widths");
            var packList = parse.GetValue(packWidths) is "none" ? [] : Widths(parse.GetValue(packWidths)!, "--pack-widths");
            var reps = parse.GetValue(repetitions) is var r and >= 1 ? r : throw new UsageException("--repetitions: must be at least 1");
            var stepCount = parse.GetValue(steps) is var s and >= 1 ? s : throw new UsageException("--steps: must be at least 1");
            var pythonPath = parse.GetValue(python)!;
            if (!File.Exists(pythonPath)) throw new UsageException($"--python: {pythonPath} does not exist (install python3-torch: infra/setup.sh)");
            if (!File.Exists(DefaultScript)) throw new UsageException($"the reference script {DefaultScript} is missing from this build");
            var sweepPath = parse.GetValue(sweep)!;
            var sweepSpec = sweepPath == "none" ? null : SpecFiles.Load(sweepPath, SpecMode.Embedded);
            var asJson = parse.GetValue(json);
            Action<string> log = asJson ? _ => { } : Console.Out.WriteLine;

            var matmul = TrainingBenchmark.Matmul(1, 1024);
            log(string.Create(CultureInfo.InvariantCulture, $"matmul 1024³ fp32, 1 thread: {matmul.Gflops:F1} GFLOP/s"));
            var runs = new List<SideRun>();
            for (var rep = 1; rep <= reps; rep++)
            {
                foreach (var width in list)
                {
                    foreach (var side in new[] { StepSide.ScaleSweep, StepSide.PyTorch })
                    {
                        var run = await RunSideAsync(side, width, stepCount, pythonPath, ct);
                        log(string.Create(CultureInfo.InvariantCulture,
                            $"  run {rep} width {width,5} {side.Name,-10} {run.MsPerStep,8:F2} ms/step  {run.OutsideLoopSeconds,5:F2} s outside the loop"));
                        runs.Add(run);
                    }
                }
            }
            var reference = runs.First(x => x.Side == StepSide.PyTorch.Name);
            var figures = list.Select(w => StepComparison.Of(w, runs.Where(x => x.Width == w).ToArray())).ToArray();
            var packs = packList.Select(w =>
            {
                var pack = PackComparison.Measure(w, stepCount, reps, matmul.Gflops);
                log(string.Create(CultureInfo.InvariantCulture, $"  width {w,5} {pack.Members} trials one by one {pack.UnpackedMsPerTrial:F0} ms/trial, packed {pack.PackedMsPerTrial:F0} ms/trial"));
                return pack;
            }).ToArray();
            var sweepFigure = sweepSpec is null ? null : await SweepIdeal.MeasureAsync(sweepPath, sweepSpec, matmul.Gflops, log, ct);
            var report = new PytorchBenchmark(matmul.Gflops, reference.Blas ?? "unknown", reference.BlasKernels, reference.Torch ?? "", figures, packs, sweepFigure);
            if (asJson) Console.Out.WriteLine(CliJson.ToNode(report).ToJsonString(CliJson.Options));
            else foreach (var line in Lines(report)) Console.Out.WriteLine(line);
            return CliRunner.Ok;
        });
        return command;
    }

    private static int[] Widths(string text, string flag) => text.Split(',').Select(w =>
        int.TryParse(w, out var v) && v > 0 ? v : throw new UsageException($"{flag}: '{w}' is not a positive integer")).ToArray();

    private static async Task<SideRun> RunSideAsync(StepSide side, int width, int steps, string python, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var common = new[] { "--width", width.ToString(inv), "--depth", "2", "--steps", steps.ToString(inv), "--batch", "128", "--eval-examples", "5000", "--threads", "1" };
        if (side == StepSide.ScaleSweep)
        {
            var run = await ChildProcess.RunAsync(ChildProcess.Self(
                ["train", "--model", "mlp", "--param", "sp", "--optimizer", "adam", "--lr", "0.00390625", "--data", "fashion-mnist",
                 "--eval-every", steps.ToString(inv), .. common, "--json"]), ct);
            var msPerStep = 1000.0 * 128 / (double)run.Result["samples_per_second"]!;
            return new SideRun(side.Name, width, msPerStep, run.WallSeconds - msPerStep * steps / 1000, null, null);
        }
        var info = ChildProcess.Program(python, [DefaultScript, "--lr", "0.00390625", .. common]);
        // One thread each: OpenBLAS starts a thread per core unless told otherwise, whatever torch.set_num_threads says.
        info.Environment["OPENBLAS_NUM_THREADS"] = "1";
        if (OpenBlasCore.ForThisCpu() is { } core && Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is null) info.Environment["OPENBLAS_CORETYPE"] = core;
        var reference = await ChildProcess.RunAsync(info, ct);
        var ms = (double)reference.Result["ms_per_step"]!;
        var libraries = reference.Result["blas"]!.AsArray().Select(n => (string)n!).ToArray();
        var library = libraries.FirstOrDefault(l => l.Contains("openblas", StringComparison.OrdinalIgnoreCase)) ?? libraries.FirstOrDefault() ?? "none found";
        return new SideRun(side.Name, width, ms, reference.WallSeconds - ms * steps / 1000, library, (string?)reference.Result["torch"])
        {
            BlasKernels = (string?)reference.Result["blas_core"],
        };
    }

    private static IEnumerable<string> Lines(PytorchBenchmark b)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return $"reference: PyTorch {b.Torch} eager, 1 thread, BLAS {b.Blas}" + (b.BlasKernels is { } k ? $" ({k} kernels)" : "");
        yield return "width  ScaleSweep ms/step  PyTorch ms/step  ratio (target ≥ 1.0)  outside the loop s (ScaleSweep / PyTorch)";
        foreach (var f in b.Widths)
        {
            yield return string.Create(inv,
                $"{f.Width,5}  {f.ScalesweepMsPerStep,18:F2}  {f.PytorchMsPerStep,15:F2}  {f.Ratio,20:F2}  {f.ScalesweepOutsideLoopSeconds:F2} / {f.PytorchOutsideLoopSeconds:F2}");
        }
        foreach (var p in b.Packs)
        {
            yield return string.Create(inv,
                $"packed, width {p.Width}: {p.Members} trials {p.UnpackedMsPerTrial:F0} ms/trial one by one, {p.PackedMsPerTrial:F0} packed: {p.Speedup:F2}× (target ≥ 2.5; " +
                $"no packing can pass {p.Bound:F2}× here: the one-by-one time ÷ its matmuls' time at the 1024³ rate)");
        }
        if (b.Sweep is { } s)
        {
            yield return string.Create(inv,
                $"sweep {s.Spec}: {s.Trials} trials, {s.TrainingGflop:F0} GFLOP of training, ideal {s.IdealSeconds:F1} s on {s.Cores} cores, " +
                $"wall {s.WallSeconds:F1} s = {s.FractionOfIdeal:F2} × ideal (target ≤ {TargetIdealFraction})");
        }
    }

    /// <summary>The two sides of the step comparison.</summary>
    private sealed record StepSide(string Name)
    {
        public static readonly StepSide ScaleSweep = new("scalesweep");
        public static readonly StepSide PyTorch = new("pytorch");
    }
}

/// <summary>One process run: its training loop's ms per step and its seconds outside the loop (start-up, data, model, eval).</summary>
internal sealed record SideRun(string Side, int Width, double MsPerStep, double OutsideLoopSeconds, string? Blas, string? Torch)
{
    /// <summary>OpenBLAS's kernel set (null for another BLAS).</summary>
    public string? BlasKernels { get; init; }
}

/// <summary>Medians per side for one width; <see cref="Ratio"/> = PyTorch ms ÷ ScaleSweep ms (≥ 1: ScaleSweep at least as fast).</summary>
internal sealed record StepComparison(
    int Width, double ScalesweepMsPerStep, double PytorchMsPerStep, double Ratio,
    double ScalesweepOutsideLoopSeconds, double PytorchOutsideLoopSeconds, int Repetitions)
{
    public static StepComparison Of(int width, IReadOnlyList<SideRun> runs)
    {
        var ours = runs.Where(r => r.Side == "scalesweep").ToArray();
        var theirs = runs.Where(r => r.Side == "pytorch").ToArray();
        var oursMs = Median(ours.Select(r => r.MsPerStep));
        var theirsMs = Median(theirs.Select(r => r.MsPerStep));
        return new StepComparison(width, oursMs, theirsMs, theirsMs / oursMs,
            Median(ours.Select(r => r.OutsideLoopSeconds)), Median(theirs.Select(r => r.OutsideLoopSeconds)), ours.Length);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal sealed record PytorchBenchmark(
    double MatmulGflopsOneThread, string Blas, string? BlasKernels, string Torch, IReadOnlyList<StepComparison> Widths, IReadOnlyList<PackComparison> Packs, SweepIdeal? Sweep);
