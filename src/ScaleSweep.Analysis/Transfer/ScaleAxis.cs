using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Analysis.Transfer;

/// <summary>Reads a trial's position along a scale axis: a standard integer column or any extra swept value.</summary>
public static class ScaleAxis
{
    public const string Default = ResultColumns.Width;

    /// <summary>The trial's value on <paramref name="axis"/>, or null when the trial has no such value.</summary>
    public static double? ValueOf(TrialResult trial, string axis) => axis switch
    {
        ResultColumns.Width => trial.Width,
        ResultColumns.Depth => trial.Depth,
        ResultColumns.Experts => trial.Experts,
        ResultColumns.ExpertWidth => trial.ExpertWidth,
        ResultColumns.TopK => trial.TopK,
        _ => trial.Extra.TryGetValue(axis, out var v) ? v : null,
    };

    /// <summary>True when <paramref name="axis"/> can be analysed given the extra columns of a results file.</summary>
    public static bool IsKnown(string axis, IEnumerable<string> extraColumns) =>
        ResultColumns.StandardScaleAxes.Contains(axis) || extraColumns.Contains(axis);

    /// <summary>Every axis a results file offers: the standard scale columns and its extra columns.</summary>
    public static IEnumerable<string> Available(IEnumerable<string> extraColumns) =>
        ResultColumns.StandardScaleAxes.Concat(extraColumns);
}
