using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Sweeps;

namespace ScaleSweep.Grains.Results;

/// <summary>Where results folders live on a silo. A plan's output is a folder under <see cref="Root"/>.</summary>
public sealed class ResultsOptions
{
    public string Root { get; set; } = "results";

    /// <summary>Cluster mode: refuse absolute outputs and <c>..</c>, so a spec cannot write anywhere on a silo.</summary>
    public bool RestrictToRoot { get; set; }

    /// <summary>The absolute results folder of a plan (its output, else its name, under the root).</summary>
    public string Resolve(SweepPlan plan)
    {
        var output = string.IsNullOrWhiteSpace(plan.Settings.Output) ? plan.Name : plan.Settings.Output!;
        var root = Path.GetFullPath(Root);
        if (!RestrictToRoot) return Path.GetFullPath(Path.Combine(root, output));
        var errors = SweepSpec.ValidateOutputForCluster(output);
        if (errors.Length > 0) throw new ArgumentException(SpecValidationException.Format(errors));
        var full = Path.GetFullPath(Path.Combine(root, output));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"output: '{output}' is outside the results root");
        return full;
    }
}
