using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// What a numeric field accepts: integer or real, and a range. The message names the whole rule
/// ("must be a positive integer") so one message covers both "not a number" and "out of range".
/// </summary>
internal sealed record ValueRule(bool Integer, Func<double, bool> Holds, string Message)
{
    public static ValueRule PositiveInt { get; } = new(true, v => v >= 1, "must be a positive integer");
    public static ValueRule NonNegativeInt { get; } = new(true, v => v >= 0, "must be a non-negative integer");
    public static ValueRule Positive { get; } = new(false, v => v > 0, "must be a positive number");
    public static ValueRule NonNegative { get; } = new(false, v => v >= 0, "must be a non-negative number");
    public static ValueRule Fraction { get; } = new(false, v => v is >= 0 and < 1, "must be a number in [0, 1)");
    public static ValueRule Finite { get; } = new(false, _ => true, "must be a finite number");
    public static ValueRule AboveOne { get; } = new(false, v => v > 1, "must be a number greater than 1");

    /// <summary>True for a finite value that obeys the rule (integers also fit an int).</summary>
    public bool Accepts(double value) =>
        double.IsFinite(value)
        && (!Integer || (Math.Floor(value) == value && Math.Abs(value) <= int.MaxValue))
        && Holds(value);

    /// <summary>Parses a scalar node; false when it is not a scalar, not a number, or breaks the rule.</summary>
    public bool TryRead(YamlNode node, out double value)
    {
        value = 0;
        return node is YamlScalarNode { Value: { } text } && TryParse(text, out value) && Accepts(value);
    }

    private bool TryParse(string text, out double value)
    {
        if (Integer)
        {
            // Integers must be written as integers: "64", not "64.0" or "6.4e1".
            var ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n);
            value = n;
            return ok;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Shortest invariant text that round-trips the value (64, 0.001).</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
