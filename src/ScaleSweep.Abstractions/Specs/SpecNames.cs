using System.Text.RegularExpressions;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>Names that end up in file paths and Parquet columns: lower-case, no spaces, no leading dot.</summary>
internal static partial class SpecNames
{
    public const string Rule = "must match [a-z0-9][a-z0-9._-]* (lower-case letters, digits, '.', '_', '-')";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
