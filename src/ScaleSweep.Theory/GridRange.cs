using System.Globalization;

namespace ScaleSweep.Theory;

/// <summary>An evenly spaced range of values written FROM:TO:STEP (both ends included), or a single value.</summary>
public sealed record GridRange
{
    /// <summary>Guards against a typo (a step of 1e-9) turning into an endless computation.</summary>
    public const int MaxPoints = 100_000;

    private GridRange(double from, double to, double step)
    {
        From = from;
        To = to;
        Step = step;
    }

    public double From { get; }
    public double To { get; }
    public double Step { get; }

    /// <summary>Number of points; the 1e-9 slack keeps TO itself when (TO − FROM)/STEP rounds just below an integer.</summary>
    public int Count => (int)Math.Floor((To - From) / Step + 1e-9) + 1;

    /// <summary>From + i·Step for i = 0 .. Count − 1; a last value within rounding of To is reported as To.</summary>
    public IReadOnlyList<double> Values()
    {
        var values = new double[Count];
        for (var i = 0; i < values.Length; i++) values[i] = From + i * Step;
        if (Math.Abs(values[^1] - To) <= 1e-9 * Step) values[^1] = To;
        return values;
    }

    public static GridRange Create(double from, double to, double step)
    {
        if (!double.IsFinite(from) || !double.IsFinite(to) || !double.IsFinite(step))
            throw new FormatException("FROM, TO and STEP must be finite numbers");
        if (step <= 0) throw new FormatException($"STEP must be positive, got {step.ToString(CultureInfo.InvariantCulture)}");
        if (from > to)
            throw new FormatException(
                $"FROM must not exceed TO, got {from.ToString(CultureInfo.InvariantCulture)}:{to.ToString(CultureInfo.InvariantCulture)}");
        var range = new GridRange(from, to, step);
        if ((to - from) / step + 1 > MaxPoints)
            throw new FormatException($"the range has more than {MaxPoints} points; use a larger STEP");
        return range;
    }

    /// <summary>Parses "FROM:TO:STEP" (e.g. "1.0:4.0:0.25") or a single number; invariant culture.</summary>
    /// <exception cref="FormatException">With a message that says what is wrong, ready to show a user.</exception>
    public static GridRange Parse(string? text)
    {
        var parts = (text ?? "").Split(':');
        if (parts.Length == 1 && TryNumber(parts[0], out var single)) return Create(single, single, 1.0);
        if (parts.Length != 3 || !TryNumber(parts[0], out var from) || !TryNumber(parts[1], out var to) || !TryNumber(parts[2], out var step))
            throw new FormatException($"expected FROM:TO:STEP (e.g. 1.0:4.0:0.25) or a single number, got '{text}'");
        return Create(from, to, step);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{From}:{To}:{Step}");
}
