using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// Packed against unpacked in this process, for one width: the quickstart trial at <see cref="Members"/> learning rates
/// trained one after another and then as one pack, interleaved over repetitions. Figures are training-loop milliseconds
/// per trial (a pack's time shared by its members); <see cref="Speedup"/> = unpacked ÷ packed (target ≥ 2.5 at
/// widths 64–256). <see cref="Bound"/> is the most any packing could give on this machine: packing removes a step's
/// time outside its matmuls, never the matmuls, so the speedup is at most the unpacked trial's loop time ÷ its matmul
/// FLOPs at the 1024³ matmul rate measured in the same run (higher than small matmuls reach, so a generous bound).
/// </summary>
internal sealed record PackComparison(int Width, int Members, double UnpackedMsPerTrial, double PackedMsPerTrial, double Speedup, double Bound)
{
    private const int Batch = 128, Inputs = 784, Classes = 10;

    public static PackComparison Measure(int width, int steps, int repetitions, double matmulGflops, int members = 8)
    {
        var specs = Enumerable.Range(0, members).Select(i => Quickstart(width, steps, Math.Pow(2, -12 + i))).ToArray();
        var unpacked = new List<double>();
        var packed = new List<double>();
        for (var rep = 0; rep < repetitions; rep++)
        {
            unpacked.Add(specs.Average(s => LoopMs(s, new TorchTrialRunner().Run(s, null, default))));
            packed.Add(PackedTrialRunner.Train(specs).Zip(specs).Average(m => LoopMs(m.Second, m.First)));
        }
        var (u, p) = (StepComparison.Median(unpacked), StepComparison.Median(packed));
        var matmulMs = steps * MatmulFlopsPerStep(width) / (matmulGflops * 1e6);
        return new PackComparison(width, members, u, p, u / p, u / matmulMs);
    }

    /// <summary>
    /// The matmul FLOPs of one quickstart step: forward and weight gradients 2·batch each per weight, input gradients
    /// for every layer but the first (the data needs none).
    /// </summary>
    public static double MatmulFlopsPerStep(int width)
    {
        double first = Inputs * width, later = (double)width * width + width * Classes;
        return 2.0 * Batch * (2 * (first + later) + later);
    }

    /// <summary>The training loop's time of one trial, from its samples per second.</summary>
    private static double LoopMs(TrialSpec spec, TrialMeasurements measured) =>
        1000.0 * spec.Optim.Batch * measured.Steps / measured.SamplesPerSecond;

    private static TrialSpec Quickstart(int width, int steps, double lr) =>
        new("sp", new ModelConfig("mlp", width, 2), new DataConfig("fashion-mnist") { EvalExamples = 5000 },
            new OptimConfig("adam", lr, steps, Batch, EvalEvery: steps), new BaseShape(width, 2), 0, ParameterizationOptions.Default);
}
