using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Theory.Activations;
using ScaleSweep.Theory.MeanField;
using ScaleSweep.Training.Diagnostics;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// Real random networks against the mean-field maps (tanh, σ_b² = 0.05, width 500, 8 networks, depth 20, q⁰ = 1,
/// c⁰ = 0.5). Measured over 10 seeds, worst layer of each: |q̂/q − 1| ≤ 0.074, |ĉ − c| ≤ 0.047 ordered and ≤ 0.093
/// chaotic (chaos amplifies finite-width noise), per-layer gradient ratio ‖δ^l‖²/‖δ^(l+1)‖² within 9% of χ₁(q^l),
/// its geometric mean over the 20 layers within 1.4%. Dropout p = 0.2 (σ_w²/ρ in the length map, χ₁/ρ) stays
/// within the same bounds. The tolerances below are about twice these.
/// </summary>
public class SignalPropagationMeasurementTests
{
    private const double SigmaB2 = 0.05;
    private const int Depth = 20;
    private const int Width = 500;
    private const double Q0 = 1.0;
    private const double C0 = 0.5;
    private const double QRelative = 0.15;
    private const double CAbsoluteOrdered = 0.1;
    private const double CAbsoluteChaotic = 0.18;
    private const double GradientRatioRelative = 0.2;
    private const double GradientGeometricMeanRelative = 0.04;

    // Several tests look at the same networks: measure each setting once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double, double),
        Lazy<(SignalPropagationReport, IReadOnlyList<LayerStatistics>, RandomNetwork)>> Cache = new();

    private static (SignalPropagationReport Measured, IReadOnlyList<LayerStatistics> Theory, RandomNetwork Network) Compare(
        double sigmaW2, double dropout = 0) =>
        Cache.GetOrAdd((sigmaW2, dropout), key => new(() => Measure(key.Item1, key.Item2))).Value;

    private static (SignalPropagationReport, IReadOnlyList<LayerStatistics>, RandomNetwork) Measure(double sigmaW2, double dropout)
    {
        Assert.True(Activation.TryParse("tanh", out var tanh));
        var network = new RandomNetwork(tanh, sigmaW2, SigmaB2, 1 - dropout);
        var measured = SignalPropagationMeasurement.Run(
            new SignalPropagationSettings("tanh", sigmaW2, SigmaB2, Depth, Width, Q0, C0) { Networks = 8, Dropout = dropout });
        return (measured, LayerwisePropagation.Propagate(network, Q0, C0, Depth), network);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.5, 0.0)]
    [InlineData(4.0, 0.0)]
    [InlineData(2.5, 0.2)]
    public void Length_and_correlation_follow_the_mean_field_maps(double sigmaW2, double dropout)
    {
        var (measured, theory, network) = Compare(sigmaW2, dropout);
        var chaotic = FixedPointAnalysis.Analyze(network).Chi1 > 1;
        var cTolerance = chaotic ? CAbsoluteChaotic : CAbsoluteOrdered;
        Assert.Equal(Depth + 1, measured.Layers.Count);
        for (var l = 0; l <= Depth; l++)
        {
            var (m, t) = (measured.Layers[l], theory[l]);
            Assert.True(Math.Abs(m.Q / t.Q - 1) <= QRelative, $"layer {l}: q measured {m.Q:G4}, theory {t.Q:G4}");
            Assert.True(Math.Abs(m.C - t.C) <= cTolerance, $"layer {l}: c measured {m.C:G4}, theory {t.C:G4}");
        }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(4.0, 0.0)]
    [InlineData(2.5, 0.2)]
    public void Gradients_grow_by_chi1_per_layer(double sigmaW2, double dropout)
    {
        var (measured, theory, network) = Compare(sigmaW2, dropout);
        // ‖δ^l‖²/‖δ^(l+1)‖² → χ₁ at the layer's own q^l (the transient from q⁰ included), over ρ with dropout.
        var predicted = LayerwisePropagation.GradientRatios(network, theory);
        Assert.Equal(Depth, predicted.Count);
        for (var l = 0; l < Depth; l++)
            Assert.True(Math.Abs(measured.GradientRatios[l] / predicted[l] - 1) <= GradientRatioRelative,
                $"layer {l}: gradient ratio {measured.GradientRatios[l]:G4}, χ₁ {predicted[l]:G4}");

        var growth = Math.Pow(measured.Layers[0].GradientNorm2 / measured.Layers[Depth].GradientNorm2, 1.0 / Depth);
        var predictedGrowth = Math.Exp(predicted.Average(Math.Log));
        Assert.True(Math.Abs(growth / predictedGrowth - 1) <= GradientGeometricMeanRelative,
            $"per-layer growth {growth:G4}, predicted {predictedGrowth:G4}");
    }

    [Fact]
    public void Ordered_phase_vanishes_and_chaotic_phase_explodes()
    {
        var total = (double sigmaW2) =>
        {
            var layers = Compare(sigmaW2).Measured.Layers;
            return layers[0].GradientNorm2 / layers[Depth].GradientNorm2;
        };
        Assert.True(total(1.0) < 0.02, "σ_w² = 1 (χ₁ ≈ 0.76): the gradient should shrink ~0.76^20 towards the input");
        Assert.True(total(4.0) > 50, "σ_w² = 4 (χ₁ ≈ 1.34): the gradient should grow ~1.34^20 towards the input");
    }

    [Fact]
    public void Gaussian_table_draws_weights_and_biases_with_the_trials_sigmas()
    {
        var options = ParameterizationOptions.Default with { SigmaW2 = 2.5, SigmaB2 = 0.05 };
        var parameterization = new Parameterization(GaussianTable.Table, Multipliers.Base, options);
        Assert.Equal(Math.Sqrt(2.5 / 400), parameterization.InitStd(new ParameterShape(ParameterRoles.Hidden, 400, 400)), 12);
        Assert.Equal(Math.Sqrt(2.5 / 784), parameterization.InitStd(new ParameterShape(ParameterRoles.Input, 784, 784)), 12);
        Assert.Equal(Math.Sqrt(0.05), parameterization.InitStd(new ParameterShape(ParameterRoles.Bias, 400, 400)), 12);
        Assert.Equal(1, parameterization.Multiplier(new ParameterShape(ParameterRoles.Hidden, 400, 400)));
        Assert.Equal(0, new Parameterization(GaussianTable.Table, Multipliers.Base, ParameterizationOptions.Default)
            .InitStd(new ParameterShape(ParameterRoles.Bias, 400, 400)));
        Assert.True(ParameterizationCatalog.IsKnown("gaussian"));
    }

    [Fact]
    public void Mlp_dropout_is_seeded_by_the_trial_and_off_in_eval_mode()
    {
        Tensor Output(bool training, ulong seed)
        {
            using var generator = new Generator(seed);
            var parameterization = new Parameterization(GaussianTable.Table, Multipliers.Base, ParameterizationOptions.Default);
            using var model = new Mlp(8, 3, 64, 64, 3, "tanh", true, parameterization, generator) { Dropout = 0.5 };
            model.train(training);
            using var input = ones(4, 8);
            using var _ = no_grad();
            return model.forward(input).detach().clone();
        }
        using var trainA = Output(true, 7);
        using var trainB = Output(true, 7);
        using var eval = Output(false, 7);
        Assert.True(trainA.eq(trainB).all().item<bool>(), "same seed, same dropout masks");
        Assert.False(trainA.allclose(eval), "training mode drops units");
    }
}
