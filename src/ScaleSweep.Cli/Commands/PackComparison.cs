using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Packing;
using ScaleSweep.Training.Trials;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// Packed against unpacked in this process, for one width: the quickstart trial at <see cref="Members"/> learning rates
/// trained one after another and then as one pack, interleaved over repetitions. Figures are training-loop milliseconds
/// per trial (a pack's time shared by its members); <see cref="Speedup"/> = unpacked ÷ packed (target ≥ 2.5 at
/// widths 64–256).
/// </summary>
internal sealed record PackComparison(int Width, int Members, double UnpackedMsPerTrial, double PackedMsPerTrial, double Speedup)
{
    public static PackComparison Measure(int width, int steps, int repetitions, int members = 8)
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
        return new PackComparison(width, members, u, p, u / p);
    }

    /// <summary>The training loop's time of one trial, from its samples per second.</summary>
    private static double LoopMs(TrialSpec spec, TrialMeasurements measured) =>
        1000.0 * spec.Optim.Batch * measured.Steps / measured.SamplesPerSecond;

    private static TrialSpec Quickstart(int width, int steps, double lr) =>
        new("sp", new ModelConfig("mlp", width, 2), new DataConfig("fashion-mnist") { EvalExamples = 5000 },
            new OptimConfig("adam", lr, steps, 128, EvalEvery: steps), new BaseShape(width, 2), 0, ParameterizationOptions.Default);
}
