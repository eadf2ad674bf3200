using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Parameterizations;

/// <summary>Finds a parameterization table by name (built-in) or takes the trial's user-defined one.</summary>
public static class ParameterizationCatalog
{
    public static IReadOnlyCollection<string> Names => BuiltInTables.All.Keys.Order().ToArray();

    public static bool IsKnown(string name) => BuiltInTables.All.ContainsKey(name);

    public static ParameterizationTable Table(TrialSpec spec) =>
        BuiltInTables.Of(spec) ?? throw new ArgumentException(
            $"unknown parameterization '{spec.Parameterization}' (known: {string.Join(", ", Names)})");

    /// <summary>The parameterization evaluated at the trial's scale relative to its base shape.</summary>
    public static Parameterization For(TrialSpec spec)
    {
        var scale = new Multipliers(
            (double)spec.Model.Width / spec.Base.Width,
            (double)spec.Model.Depth / spec.Base.Depth,
            spec.Model.Experts > 0 ? (double)spec.Model.Experts / Math.Max(1, spec.Base.Experts) : 1)
        {
            ModelWidth = spec.Model.Width,
            ModelDepth = spec.Model.Depth,
        };
        return new Parameterization(Table(spec), scale, spec.Options);
    }
}
