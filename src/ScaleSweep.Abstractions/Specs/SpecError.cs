using System.Collections.Immutable;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// One problem in a sweep spec: the field path (<c>grid.width[2]</c>), the 1-based YAML line (0 when the
/// problem has no place in the file) and what is wrong.
/// </summary>
public sealed record SpecError(string Path, long Line, string Message)
{
    public override string ToString() => (Path.Length, Line) switch
    {
        (0, > 0) => $"line {Line}: {Message}",
        (0, _) => Message,
        (_, > 0) => $"{Path} (line {Line}): {Message}",
        _ => $"{Path}: {Message}",
    };
}

/// <summary>
/// A spec that cannot be run. Carries every problem found, not just the first, so a user fixes them in one
/// pass; <see cref="Exception.Message"/> lists them one per line.
/// </summary>
public sealed class SpecValidationException : Exception
{
    public SpecValidationException(string sourceName, IEnumerable<SpecError> errors)
        : this(sourceName, errors.ToImmutableArray())
    {
    }

    private SpecValidationException(string sourceName, ImmutableArray<SpecError> errors)
        : base(Format(errors))
    {
        SourceName = sourceName;
        Errors = errors;
    }

    /// <summary>File name (or other label) of the spec that was read.</summary>
    public string SourceName { get; }

    public ImmutableArray<SpecError> Errors { get; }

    public static string Format(IEnumerable<SpecError> errors) => string.Join(Environment.NewLine, errors);
}
