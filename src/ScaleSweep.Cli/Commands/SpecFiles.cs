using System.Collections.Immutable;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Training.Commands;

namespace ScaleSweep.Cli.Commands;

/// <summary>Loads a spec for run/submit: a missing file or any spec problem is a usage error (exit 2).</summary>
internal static class SpecFiles
{
    public static SweepSpec Load(string path, SpecMode mode)
    {
        if (!File.Exists(path)) throw new UsageException($"spec file not found: {path}");
        try
        {
            var spec = SweepSpecLoader.Load(path, mode);
            var errors = RunnerChecks(spec, mode);
            if (errors.Length > 0) throw new SpecValidationException(path, errors);
            return spec;
        }
        catch (SpecValidationException ex)
        {
            throw new UsageException($"invalid spec {path}:{Environment.NewLine}" + string.Join(Environment.NewLine, ex.Errors.Select(e => $"  {e}")));
        }
    }

    /// <summary>
    /// Checks that need the runners (a command trial's placeholders and metrics; in embedded mode, where the trials
    /// run on this machine, also its program and working folder).
    /// </summary>
    public static ImmutableArray<SpecError> RunnerChecks(SweepSpec spec, SpecMode mode) =>
        CommandSpecCheck.Check(spec, local: mode == SpecMode.Embedded);
}
