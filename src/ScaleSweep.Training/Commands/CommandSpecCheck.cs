using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ScaleSweep.Abstractions.Specs;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Results;

namespace ScaleSweep.Training.Commands;

/// <summary>
/// The checks of a command spec that need what the runner knows: placeholders against the trial document, metric
/// names against the results columns and the protocol, and (where the trials will run on this machine) the program
/// and working folder. Each problem names its field path, like the spec parser's.
/// </summary>
public static partial class CommandSpecCheck
{
    /// <param name="local">The trials run here (embedded <c>run</c>, <c>validate</c>): also check the program and working folder.</param>
    public static ImmutableArray<SpecError> Check(SweepSpec spec, bool local)
    {
        if (spec.Model.Command is not { } command) return [];
        var errors = ImmutableArray.CreateBuilder<SpecError>();
        void Error(string path, string message) => errors.Add(new SpecError(path, LineOf(spec, path), message));

        var plan = spec.Expand();
        if (plan.Trials.IsEmpty) return [];
        var first = plan.Trials[0];
        var doc = TrialDocument.For(first.Spec, new TrialContext("", first.Key, 1));
        for (var i = 1; i < command.Run.Length; i++)
        {
            Placeholders.Expand(command.Run[i], doc, out var error);
            if (error is not null) Error($"model.run[{i}]", error);
        }
        for (var i = 0; i < command.Metrics.Length; i++)
        {
            var name = command.Metrics[i];
            if (!ColumnName().IsMatch(name)) Error($"model.metrics[{i}]", $"'{name}' is not a column name (lower-case letters, digits and _, starting with a letter)");
            else if (ResultColumns.IsStandard(name) || ResultColumns.Curves.Contains(name) || ResultProtocol.Keys.Contains(name))
                Error($"model.metrics[{i}]", $"'{name}' is a column or protocol key of its own, not an extra metric");
            else if (spec.SweptKeys.Contains(name)) Error($"model.metrics[{i}]", $"'{name}' is swept in grid: its column holds the swept value");
            else if (command.Metrics.IndexOf(name) < i) Error($"model.metrics[{i}]", $"'{name}' is listed twice");
        }
        if (local)
        {
            var launch = CommandLaunch.Resolve(command, out var error);
            if (launch is null) Error(error!.Value.Path, error.Value.Message);
        }
        return errors.ToImmutable();
    }

    /// <summary>The field's line; list items fall back to their list's line.</summary>
    private static long LineOf(SweepSpec spec, string path)
    {
        var list = path.IndexOf('[') is var bracket and > 0 ? path[..bracket] : path;
        return spec.Lines.TryGetValue(path, out var line) ? line
            : spec.Lines.TryGetValue(list, out var parent) ? parent
            : spec.Lines.GetValueOrDefault("model");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ColumnName();
}
