using ScaleSweep.Abstractions.Specs;

namespace ScaleSweep.Cli.Commands;

/// <summary>Loads a spec for run/submit: a missing file or any spec problem is a usage error (exit 2).</summary>
internal static class SpecFiles
{
    public static SweepSpec Load(string path, SpecMode mode)
    {
        if (!File.Exists(path)) throw new UsageException($"spec file not found: {path}");
        try
        {
            return SweepSpecLoader.Load(path, mode);
        }
        catch (SpecValidationException ex)
        {
            throw new UsageException($"invalid spec {path}:{Environment.NewLine}" + string.Join(Environment.NewLine, ex.Errors.Select(e => $"  {e}")));
        }
    }
}
