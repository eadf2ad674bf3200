using System.Collections.Immutable;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>Where a spec will run: cluster mode adds rules that protect the silo's file system.</summary>
public enum SpecMode
{
    /// <summary><c>scalesweep run</c>: any output path.</summary>
    Embedded,

    /// <summary><c>scalesweep submit</c>: output must be a relative folder under the silo's results root.</summary>
    Cluster,
}

/// <summary>
/// A parsed and validated sweep spec (obtained from <see cref="SweepSpecLoader"/>). <see cref="Model"/>,
/// <see cref="Data"/>, <see cref="Train"/> and <see cref="Options"/> are the trial template: the fixed
/// fields, record defaults elsewhere; a swept field holds its record default (width 0, lr 0, ...) and takes
/// each grid value at expansion.
/// </summary>
public sealed record SweepSpec(
    string Name,
    ModelConfig Model,
    DataConfig Data,
    OptimConfig Train,
    ImmutableArray<ParameterizationChoice> Parameterizations,
    ParameterizationOptions Options,
    BaseShape Base,
    ImmutableArray<GridAxis> Grid,
    TransferSettings Transfer,
    ResourceSettings Resources)
{
    public const int DefaultMaxTrials = 10_000;

    /// <summary>Results folder; null lets the runner choose (results/NAME).</summary>
    public string? Output { get; init; }

    /// <summary>The most trials the grid may expand to (<c>limits.max_trials</c>).</summary>
    public int MaxTrials { get; init; } = DefaultMaxTrials;

    /// <summary>The ladder of <c>strategy: ladder</c>; null for a full grid.</summary>
    public LadderSettings? Ladder { get; init; }

    /// <summary>File name or label the spec was read from.</summary>
    public string SourceName { get; init; } = "";

    /// <summary>The spec's original text (kept in the plan for the report).</summary>
    public string SourceYaml { get; init; } = "";

    /// <summary>YAML line of every field path the spec sets (for later checks that report a line).</summary>
    public ImmutableDictionary<string, long> Lines { get; init; } = ImmutableDictionary<string, long>.Empty;

    /// <summary>Names of the swept keys in spec order.</summary>
    public ImmutableArray<string> SweptKeys => [.. Grid.Select(a => a.Key)];

    /// <summary>Parameterizations × product of grid sizes.</summary>
    public long CountTrials() => SweepExpander.CountTrials(this);

    /// <summary>Every trial with its key, in deterministic order (see <see cref="SweepExpander"/>).</summary>
    public SweepPlan Expand() => SweepExpander.Expand(this);

    /// <summary>Throws <see cref="SpecValidationException"/> when the output path is unsafe for a cluster.</summary>
    public void ValidateForCluster()
    {
        if (Output is null) return;
        var errors = ValidateOutputForCluster(Output, Lines.GetValueOrDefault("output"));
        if (errors.Length > 0) throw new SpecValidationException(SourceName, errors);
    }

    /// <summary>
    /// Cluster mode: output is a folder under the silo's results root, so it must be relative and must not
    /// climb out with <c>..</c>. Embedded mode accepts any path and does not call this.
    /// </summary>
    public static ImmutableArray<SpecError> ValidateOutputForCluster(string output, long line = 0)
    {
        var errors = ImmutableArray.CreateBuilder<SpecError>();
        if (string.IsNullOrWhiteSpace(output))
        {
            errors.Add(new("output", line, "must not be empty"));
            return errors.ToImmutable();
        }
        // Checked by hand as well as with Path.IsPathRooted: a Linux silo must also refuse "C:\x" and "\\host\x".
        var rooted = Path.IsPathRooted(output) || output[0] is '/' or '\\' or '~'
            || (output.Length >= 2 && char.IsAsciiLetter(output[0]) && output[1] == ':');
        if (rooted) errors.Add(new("output", line, "must be a relative folder under the results root in cluster mode"));
        if (output.Split('/', '\\').Any(segment => segment == ".."))
            errors.Add(new("output", line, "must not contain '..' segments in cluster mode"));
        return errors.ToImmutable();
    }
}

/// <summary>One entry of <c>parameterizations</c>: a built-in name, or a user table (then Name = Table.Name).</summary>
public sealed record ParameterizationChoice(string Name, ParameterizationTable? Table = null);

/// <summary>One swept key with its values in spec order (ranges already expanded; integers stored exactly).</summary>
public sealed record GridAxis(string Key, ImmutableArray<double> Values);

/// <summary>The <c>resources</c> section.</summary>
/// <param name="Pack">Most trials of one shape trained together as one stacked model; <see cref="TrialPacking.Auto"/> (0): chosen per trial.</param>
public sealed record ResourceSettings(string Device = "cpu", int ThreadsPerTrial = 1, int MaxAttempts = 3, int Pack = TrialPacking.Auto);
