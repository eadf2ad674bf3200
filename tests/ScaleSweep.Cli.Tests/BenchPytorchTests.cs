using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

/// <summary>
/// <c>bench-pytorch</c> runs both sides for real (ScaleSweep's trainer and the shipped PyTorch script in Debian's
/// python3-torch) and prices a sweep against its FLOP-bound ideal, whose FLOP count this test derives independently.
/// </summary>
public sealed class BenchPytorchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scalesweep-bench-pytorch-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Both_sides_train_and_the_sweep_is_priced_by_its_training_flops()
    {
        var spec = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(spec, """
            name: tiny
            model: { kind: mlp, depth: 2, activation: relu }
            data: { kind: fashion-mnist, train_examples: 2000, eval_examples: 500 }
            train: { optimizer: adam, steps: 20, batch: 64, eval_every: 20 }
            parameterizations: [mup]
            base: { width: 32, depth: 2 }
            grid:
              width: [32, 64]
              lr: [0.0001, 0.001]
            transfer: { axis: width }
            resources: { device: cpu, threads_per_trial: 1, max_attempts: 1 }
            """);
        var outcome = ScaleSweepProcess.Run(TimeSpan.FromMinutes(6), null,
            "bench-pytorch", "--widths", "64", "--repetitions", "1", "--steps", "20", "--pack-widths", "64", "--sweep", spec, "--json");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        var doc = JsonDocument.Parse(outcome.Stdout).RootElement;

        var blas = doc.GetProperty("blas").GetString()!;
        Assert.True(File.Exists(blas), $"the reference's BLAS {blas} is not a file");
        Assert.StartsWith("1.", doc.GetProperty("torch").GetString());
        // Debian's OpenBLAS: the benchmark names its kernels so a CPU it does not recognise gets no generic fallback.
        Assert.NotEqual("Prescott", doc.GetProperty("blas_kernels").GetString());
        var width = Assert.Single(doc.GetProperty("widths").EnumerateArray());
        Assert.Equal(64, width.GetProperty("width").GetInt32());
        var ours = width.GetProperty("scalesweep_ms_per_step").GetDouble();
        var theirs = width.GetProperty("pytorch_ms_per_step").GetDouble();
        Assert.True(ours > 0 && theirs > 0);
        Assert.Equal(theirs / ours, width.GetProperty("ratio").GetDouble(), 1e-9);

        var pack = Assert.Single(doc.GetProperty("packs").EnumerateArray());
        Assert.Equal(8, pack.GetProperty("members").GetInt32());
        Assert.True(pack.GetProperty("unpacked_ms_per_trial").GetDouble() > 0 && pack.GetProperty("packed_ms_per_trial").GetDouble() > 0);
        Assert.Equal(pack.GetProperty("unpacked_ms_per_trial").GetDouble() / pack.GetProperty("packed_ms_per_trial").GetDouble(),
            pack.GetProperty("speedup").GetDouble(), 1e-9);
        // The bound: one-by-one time ÷ the trial's matmul time at the measured rate. Per step of 784→64→64→10, batch
        // 128: forward and weight gradients 2 FLOPs per weight per sample, input gradients only past the first layer.
        const double matmulFlopsPerStep = 2 * 128 * (2 * (784 * 64 + 64 * 64 + 64 * 10) + 64 * 64 + 64 * 10);
        var matmulMs = 20 * matmulFlopsPerStep / (doc.GetProperty("matmul_gflops_one_thread").GetDouble() * 1e6);
        Assert.Equal(pack.GetProperty("unpacked_ms_per_trial").GetDouble() / matmulMs, pack.GetProperty("bound").GetDouble(), 1e-9);

        // 784→w→w→10 with biases: 784w + w + w² + w + 10w + 10 parameters; 6 FLOPs each per sample, 64 × 20 samples.
        static double Params(double w) => 784 * w + w + w * w + w + 10 * w + 10;
        var expected = 2 * 6 * (Params(32) + Params(64)) * 64 * 20 / 1e9;
        var sweep = doc.GetProperty("sweep");
        Assert.Equal(4, sweep.GetProperty("trials").GetInt32());
        Assert.Equal(expected, sweep.GetProperty("training_gflop").GetDouble(), 1e-9);
        var ideal = expected / (Environment.ProcessorCount * doc.GetProperty("matmul_gflops_one_thread").GetDouble());
        Assert.Equal(ideal, sweep.GetProperty("ideal_seconds").GetDouble(), 1e-9);
        Assert.True(sweep.GetProperty("fraction_of_ideal").GetDouble() > 1, "a sweep cannot beat its FLOP-bound ideal");
    }

    [Fact]
    public void A_missing_python_is_a_usage_error_naming_the_flag()
    {
        var outcome = ScaleSweepProcess.Run("bench-pytorch", "--python", Path.Combine(_root, "no-python"), "--sweep", "none");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--python", outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr);
    }
}
