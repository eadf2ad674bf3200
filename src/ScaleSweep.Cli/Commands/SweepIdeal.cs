using System.Globalization;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Cli.Commands;

/// <summary>
/// A sweep's wall time against its FLOP-bound ideal: the sum of its trials' training FLOPs (6 per parameter per sample:
/// forward 2, backward 4) divided by cores × the one-thread matmul rate measured in the same benchmark. The sweep runs
/// as <c>scalesweep run</c> in its own process, with its default slots, into a new temporary folder.
/// </summary>
internal sealed record SweepIdeal(string Spec, int Trials, int Cores, double TrainingGflop, double IdealSeconds, double WallSeconds)
{
    public double FractionOfIdeal => WallSeconds / IdealSeconds;

    public static async Task<SweepIdeal> MeasureAsync(string specPath, SweepSpec spec, double matmulGflops, Action<string> log, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("scalesweep-bench-pytorch-").FullName;
        try
        {
            log($"running {specPath} into {folder} …");
            var run = await ChildProcess.RunAsync(ChildProcess.Self(["run", specPath, "--out", folder, "--json"]), ct);
            var batches = spec.Expand().Trials.ToDictionary(t => t.Key, t => t.Spec.Optim.Batch);
            var rows = (await ResultsReader.ReadAsync(folder, ct)).Trials;
            var gflop = rows.Sum(r => 6.0 * r.Params * batches[r.TrialKey] * r.Steps) / 1e9;
            var cores = Environment.ProcessorCount;
            return new SweepIdeal(specPath, rows.Length, cores, gflop, gflop / (cores * matmulGflops), run.WallSeconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
