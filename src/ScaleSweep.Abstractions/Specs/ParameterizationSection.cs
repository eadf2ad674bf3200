using System.Collections.Immutable;
using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Vocabulary;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Reads <c>parameterizations</c>: a list whose entries are built-in names (<see cref="BuiltInTables"/>)
/// or mappings that define a custom table (<see cref="ParameterizationTableReader"/>).
/// </summary>
internal static class ParameterizationSection
{
    private const string Path = "parameterizations";

    public static ImmutableArray<ParameterizationChoice> Read(YamlNode? node, SpecDiagnostics diag)
    {
        if (node is null) return [];
        if (node is not YamlSequenceNode list)
        {
            diag.Error(Path, node, "must be a list, e.g. [sp, mup]");
            return [];
        }
        if (list.Children.Count == 0) diag.Error(Path, list, "must not be empty");
        var choices = ImmutableArray.CreateBuilder<ParameterizationChoice>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var path = SpecDiagnostics.Item(Path, i);
            diag.Locate(path, item);
            var choice = item switch
            {
                YamlScalarNode { Value: { } name } when !MappingReader.IsNull(item) => BuiltIn(name, item, path, diag),
                YamlMappingNode => Custom(item, path, diag),
                _ => Invalid(item, path, diag),
            };
            if (choice is null) continue;
            if (!names.Add(choice.Name))
            {
                diag.Error(path, item, $"duplicate parameterization '{choice.Name}'");
                continue;
            }
            choices.Add(choice);
        }
        return choices.ToImmutable();
    }

    private static ParameterizationChoice? BuiltIn(string name, YamlNode item, string path, SpecDiagnostics diag)
    {
        if (BuiltInTables.All.ContainsKey(name)) return new ParameterizationChoice(name);
        var known = BuiltInTables.Names;
        var hint = Spelling.Hint(name, known);
        diag.Error(path, item, hint.Length > 0
            ? $"unknown parameterization '{name}'{hint}"
            : $"unknown parameterization '{name}' (built-in: {string.Join(", ", known)}; or define a table)");
        return null;
    }

    private static ParameterizationChoice? Custom(YamlNode item, string path, SpecDiagnostics diag)
    {
        var table = ParameterizationTableReader.Read(MappingReader.Open(item, path, diag)!);
        return table is null ? null : new ParameterizationChoice(table.Name, table);
    }

    private static ParameterizationChoice? Invalid(YamlNode item, string path, SpecDiagnostics diag)
    {
        diag.Error(path, item, "must be a parameterization name or a mapping that defines a table");
        return null;
    }
}
