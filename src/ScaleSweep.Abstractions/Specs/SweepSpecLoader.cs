namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Entry point for sweep specs: parse and validate a YAML spec. Every problem is reported at once in a
/// <see cref="SpecValidationException"/>; nothing else is thrown for bad input.
/// </summary>
public static class SweepSpecLoader
{
    /// <summary>Reads and validates a spec file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SpecValidationException">The spec is invalid.</exception>
    public static SweepSpec Load(string path, SpecMode mode = SpecMode.Embedded)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"spec file not found: {path}", path);
        // Refused before reading: a huge file is never loaded into memory.
        var length = new FileInfo(path).Length;
        if (length > SpecLimits.MaxBytes) throw new SpecValidationException(path, [new SpecError("", 0, SpecLimits.TooLarge(length))]);
        return Parse(File.ReadAllText(path), path, mode);
    }

    /// <summary>Parses and validates spec text; <paramref name="sourceName"/> labels it in messages.</summary>
    /// <exception cref="SpecValidationException">The spec is invalid.</exception>
    public static SweepSpec Parse(string yaml, string sourceName, SpecMode mode = SpecMode.Embedded) =>
        SweepSpecParser.Parse(yaml, sourceName, mode);
}
