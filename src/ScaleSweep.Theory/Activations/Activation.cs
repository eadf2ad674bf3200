using ScaleSweep.Theory.Numerics;

namespace ScaleSweep.Theory.Activations;

/// <summary>
/// A pointwise nonlinearity φ with φ′ and φ″, as the mean-field maps need them.
/// <para>
/// For relu and abs, φ″ is a point mass at 0 (δ and 2δ) and is given here as 0. It only ever enters
/// multiplied by φ (in the length map's slope, E φ″φ), and φ(0) = 0, so the point mass contributes nothing.
/// φ′(0) is taken as the average of the one-sided derivatives; quadrature never samples exactly 0.
/// </para>
/// </summary>
/// <param name="IsSmooth">false for positively homogeneous, piecewise linear φ with its kink at 0 (relu, abs): those are
/// integrated with Gauss rules that are exact for them. Any other kinked φ would need a new rule.</param>
public sealed record Activation(
    string Name,
    Func<double, double> Value,
    Func<double, double> FirstDerivative,
    Func<double, double> SecondDerivative,
    bool IsSmooth)
{
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);

    public static Activation Tanh { get; } = new(
        "tanh",
        Math.Tanh,
        x => { var t = Math.Tanh(x); return 1.0 - t * t; },
        x => { var t = Math.Tanh(x); return -2.0 * t * (1.0 - t * t); },
        IsSmooth: true);

    /// <summary>φ(x) = erf(x) (not rescaled), φ′(x) = 2/√π e^(−x²).</summary>
    public static Activation Erf { get; } = new(
        "erf",
        SpecialFunctions.Erf,
        x => TwoOverSqrtPi * Math.Exp(-x * x),
        x => -2.0 * x * TwoOverSqrtPi * Math.Exp(-x * x),
        IsSmooth: true);

    public static Activation Relu { get; } = new(
        "relu",
        x => x > 0 ? x : 0.0,
        x => x > 0 ? 1.0 : x < 0 ? 0.0 : 0.5,
        _ => 0.0,
        IsSmooth: false);

    public static Activation Abs { get; } = new(
        "abs",
        Math.Abs,
        x => x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0,
        _ => 0.0,
        IsSmooth: false);

    public static Activation Linear { get; } = new(
        "linear",
        x => x,
        _ => 1.0,
        _ => 0.0,
        IsSmooth: true);

    /// <summary>Exact gelu φ(x) = x Φ(x) (Φ the standard normal distribution function, not the tanh approximation).</summary>
    public static Activation Gelu { get; } = new(
        "gelu",
        x => x * SpecialFunctions.NormalCdf(x),
        x => SpecialFunctions.NormalCdf(x) + x * SpecialFunctions.NormalPdf(x),
        x => (2.0 - x * x) * SpecialFunctions.NormalPdf(x),
        IsSmooth: true);

    public static IReadOnlyList<Activation> All { get; } = [Tanh, Erf, Relu, Abs, Linear, Gelu];

    public static string KnownNames => string.Join(", ", All.Select(a => a.Name));

    /// <summary>Looks an activation up by name (case-insensitive).</summary>
    public static bool TryParse(string? name, out Activation activation)
    {
        activation = All.FirstOrDefault(a => string.Equals(a.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return activation is not null;
    }

    public override string ToString() => Name;
}
