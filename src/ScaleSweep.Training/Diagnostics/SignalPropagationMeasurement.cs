using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Models;
using ScaleSweep.Training.Parameterizations;
using ScaleSweep.Training.Tensors;
using static TorchSharp.torch;

namespace ScaleSweep.Training.Diagnostics;

/// <summary>
/// What to measure: random MLPs of the <see cref="GaussianTable"/> (W ~ N(0, σ_w²/N), b ~ N(0, σ_b²)) with
/// <paramref name="Depth"/> hidden layers of <paramref name="Width"/> units, fed a pair of inputs whose layer-0
/// pre-activations have squared length <paramref name="Q0"/> and correlation <paramref name="C0"/>.
/// </summary>
/// <param name="Activation">A model activation name (tanh, relu, gelu, abs, linear).</param>
public sealed record SignalPropagationSettings(
    string Activation, double SigmaW2, double SigmaB2, int Depth, int Width, double Q0, double C0)
{
    /// <summary>Independent random networks averaged over (finite-width noise shrinks like 1/√(networks·width)).</summary>
    public int Networks { get; init; } = 8;

    public int Seed { get; init; }

    /// <summary>Drop probability p after every activation (the inputs' included), keep ρ = 1 − p; 0 = none.</summary>
    public double Dropout { get; init; }
}

/// <summary>
/// One layer's measured statistics, averaged over networks (and over the two inputs for q and the gradient).
/// Layer 0 is the constructed input pair; layer l ≥ 1 is the l-th hidden layer's pre-activations h^l.
/// </summary>
/// <param name="Q">q^l: mean of (h^l_i)².</param>
/// <param name="C">c^l: (h_a·h_b / N) / √(q_a q_b) for the two inputs a, b.</param>
/// <param name="QError">Standard error of <paramref name="Q"/> over networks (0 with one network).</param>
/// <param name="CError">Standard error of <paramref name="C"/> over networks.</param>
/// <param name="GradientNorm2">‖∂L/∂h^l‖² for a random linear loss L = ⟨g, output⟩, g ~ N(0, 1).</param>
public sealed record MeasuredLayer(int Layer, double Q, double C, double QError, double CError, double GradientNorm2);

/// <summary>The measured layers 0 … depth of one <see cref="SignalPropagationSettings"/>.</summary>
public sealed record SignalPropagationReport(SignalPropagationSettings Settings, IReadOnlyList<MeasuredLayer> Layers)
{
    /// <summary>
    /// ‖∂L/∂h^l‖² / ‖∂L/∂h^(l+1)‖² for l = 0 … depth − 1: mean-field theory predicts χ₁ evaluated at q^l,
    /// σ_w² ∫Dz φ′(√q^l z)² (divided by ρ with dropout). Norms, not squared norms, go like its square root.
    /// </summary>
    public IReadOnlyList<double> GradientRatios =>
        Layers.Zip(Layers.Skip(1), (lower, upper) => lower.GradientNorm2 / upper.GradientNorm2).ToArray();
}

/// <summary>
/// The empirical side of Deep Information Propagation: real random networks, the statistics that the mean-field
/// length and correlation maps predict (LayerwisePropagation in ScaleSweep.Theory) and the per-layer gradient
/// growth χ₁. Training does not reference the theory; callers (CLI, tests) hold the two side by side.
/// </summary>
public static class SignalPropagationMeasurement
{
    private const int Outputs = 10;

    public static SignalPropagationReport Run(SignalPropagationSettings settings, CancellationToken cancellation = default)
    {
        Validate(settings);
        var perNetwork = new List<NetworkStatistics>();
        for (var n = 0; n < settings.Networks; n++)
        {
            cancellation.ThrowIfCancellationRequested();
            perNetwork.Add(MeasureOne(settings, (ulong)settings.Seed * 1_000_003UL + (ulong)n));
        }
        var layers = Enumerable.Range(0, settings.Depth + 1).Select(l => new MeasuredLayer(
            l,
            perNetwork.Average(s => s.Q[l]),
            perNetwork.Average(s => s.C[l]),
            StandardError(perNetwork.Select(s => s.Q[l])),
            StandardError(perNetwork.Select(s => s.C[l])),
            perNetwork.Average(s => s.GradientNorm2[l]))).ToArray();
        return new SignalPropagationReport(settings, layers);
    }

    private static void Validate(SignalPropagationSettings s)
    {
        if (!(s.SigmaW2 > 0) || !double.IsFinite(s.SigmaW2)) throw new ArgumentOutOfRangeException(nameof(s), "σ_w² must be positive");
        if (!(s.SigmaB2 >= 0) || !double.IsFinite(s.SigmaB2)) throw new ArgumentOutOfRangeException(nameof(s), "σ_b² must be non-negative");
        if (s.Depth < 1) throw new ArgumentOutOfRangeException(nameof(s), "depth must be at least 1");
        if (s.Width < 2) throw new ArgumentOutOfRangeException(nameof(s), "width must be at least 2");
        if (!(s.Q0 > 0) || !double.IsFinite(s.Q0)) throw new ArgumentOutOfRangeException(nameof(s), "q⁰ must be positive");
        if (!(s.C0 >= -1 && s.C0 <= 1)) throw new ArgumentOutOfRangeException(nameof(s), "c⁰ must be in [−1, 1]");
        if (s.Networks < 1) throw new ArgumentOutOfRangeException(nameof(s), "at least one network");
        if (!(s.Dropout >= 0 && s.Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(s), "dropout must be in [0, 1)");
        Activations.Get(s.Activation); // throws for an unknown name
    }

    private sealed record NetworkStatistics(double[] Q, double[] C, double[] GradientNorm2);

    private static NetworkStatistics MeasureOne(SignalPropagationSettings s, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var options = ParameterizationOptions.Default with { SigmaW2 = s.SigmaW2, SigmaB2 = s.SigmaB2 };
        var shape = new Multipliers(1, 1, 1) { ModelWidth = s.Width, ModelDepth = s.Depth };
        var parameterization = new Parameterization(GaussianTable.Table, shape, options);
        // Layer 0 plays the previous layer's pre-activations: the network's input is φ(h⁰), so h¹ = W φ(h⁰) + b
        // exactly as the mean-field maps go from layer 0 to layer 1.
        using var model = new Mlp(s.Width, Outputs, s.Width, s.Width, s.Depth, s.Activation, bias: true, parameterization, generator)
        {
            Dropout = s.Dropout,
        };
        model.train(s.Dropout > 0);

        var h0 = InputPair(s, generator).requires_grad_(true);
        var x = Activations.Get(s.Activation)(h0);
        if (s.Dropout > 0) x = model.Drop(x);
        var preactivations = new List<Tensor> { h0 };
        var output = model.Forward(x, (module, value) => { if (module != "output") preactivations.Add(value); });
        var direction = randn([2, Outputs], generator: generator);
        var loss = output.mul(direction).sum();
        var gradients = autograd.grad([loss], preactivations);

        var layers = preactivations.Count;
        var q = new double[layers];
        var c = new double[layers];
        var g = new double[layers];
        for (var l = 0; l < layers; l++)
        {
            var h = preactivations[l].detach().to(ScalarType.Float64);
            var qa = h[0].Squared().mean().item<double>();
            var qb = h[1].Squared().mean().item<double>();
            q[l] = 0.5 * (qa + qb);
            c[l] = h[0].dot(h[1]).item<double>() / s.Width / Math.Sqrt(qa * qb);
            g[l] = 0.5 * gradients[l].detach().to(ScalarType.Float64).Squared().sum().item<double>();
        }
        return new NetworkStatistics(q, c, g);
    }

    /// <summary>
    /// Two vectors with mean square exactly q⁰ and correlation exactly c⁰: orthonormalised Gaussian directions
    /// e₁, e₂ (‖e‖² = N), then h_a = √q⁰ e₁, h_b = √q⁰ (c⁰ e₁ + √(1 − c⁰²) e₂).
    /// </summary>
    private static Tensor InputPair(SignalPropagationSettings s, Generator generator)
    {
        var n = s.Width;
        var z = randn([2, n], dtype: ScalarType.Float64, generator: generator);
        var e1 = z[0].MulBy(Math.Sqrt(n) / z[0].norm().item<double>());
        var e2 = z[1].sub(e1.MulBy(z[1].dot(e1).item<double>() / n));
        e2 = e2.MulBy(Math.Sqrt(n) / e2.norm().item<double>());
        var a = e1.MulBy(Math.Sqrt(s.Q0));
        var b = e1.MulBy(s.C0).Plus(e2.MulBy(Math.Sqrt(Math.Max(0, 1 - s.C0 * s.C0)))).MulBy(Math.Sqrt(s.Q0));
        return stack([a, b]).to(ScalarType.Float32);
    }

    private static double StandardError(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return 0;
        var mean = v.Average();
        var variance = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return Math.Sqrt(variance / v.Length);
    }
}
