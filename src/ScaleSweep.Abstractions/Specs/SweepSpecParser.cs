using System.Text.RegularExpressions;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// YAML text → <see cref="SweepSpec"/>. Reads the YAML representation model (not object binding) so every
/// field has a line and unknown fields can be reported; keeps reading after a problem so all of them are
/// reported in one <see cref="SpecValidationException"/>.
/// </summary>
internal static partial class SweepSpecParser
{
    public static SweepSpec Parse(string yaml, string sourceName, SpecMode mode)
    {
        var diag = new SpecDiagnostics();
        var top = MappingReader.Open(Root(yaml, diag), "", diag);
        if (top is null)
        {
            if (!diag.HasErrors) diag.Error("", 0, "spec is empty");
            throw diag.ToException(sourceName);
        }

        var name = top.String("name", required: true);
        if (name is not null && !SpecNames.IsValid(name)) diag.Error("name", SpecNames.Rule);
        // Sections that can fix a field are read before the grid, which checks it is not swept as well.
        var model = SpecSections.Model(Section(top, "model", required: true));
        var data = SpecSections.Data(DataSection(top, model.Kind));
        var train = SpecSections.Train(Section(top, "train"));
        var options = SpecSections.Options(Section(top, "parameterization_options"));
        // model.sigma_b2 / model.sigma_w2 also set the init of tables with a σ knob, as the grid keys do.
        options = options with { SigmaB2 = model.SigmaB2, SigmaW2 = options.SigmaW2 > 0 ? options.SigmaW2 : model.SigmaW2 };
        var parameterizations = ParameterizationSection.Read(top.Require("parameterizations"), diag);
        var baseShape = SpecSections.Base(Section(top, "base"));
        var resources = SpecSections.Resources(Section(top, "resources"));
        var transfer = SpecSections.Transfer(Section(top, "transfer"));
        var maxTrials = SpecSections.Limits(Section(top, "limits"));
        var output = top.String("output");
        if (output is not null && string.IsNullOrWhiteSpace(output)) diag.Error("output", "must not be empty");
        var grid = GridSection.Read(top.Require("grid"), diag, maxTrials);
        var strategy = LadderSection.Read(top);
        top.RejectUnknown();

        var draft = new SweepSpec(
            name ?? "", model, data, train, parameterizations, options,
            new BaseShape(0, 0), grid, transfer.Settings, resources)
        {
            Output = output,
            MaxTrials = maxTrials,
            SourceName = sourceName,
            SourceYaml = yaml,
        };
        var spec = SpecCrossChecks.Resolve(draft, diag, transfer.Axis, baseShape);
        spec = spec with { Ladder = LadderSection.Resolve(spec, diag, strategy) };
        if (mode == SpecMode.Cluster && output is { Length: > 0 })
        {
            foreach (var error in SweepSpec.ValidateOutputForCluster(output, diag.LineOf("output")))
                diag.Error(error.Path, error.Line, error.Message);
        }
        if (diag.HasErrors) throw diag.ToException(sourceName);
        return spec with { Lines = diag.Lines };
    }

    /// <summary>The data section: required, unless the model kind brings its own data (then it must be absent).</summary>
    private static MappingReader? DataSection(MappingReader top, string modelKind)
    {
        if (!Vocabulary.ModelKind.TryParse(modelKind, out var kind) || kind.ReadsData) return Section(top, "data", required: true);
        if (top.Take("data") is { } node) top.Diag.Error("data", node, $"model kind {kind.Name} brings its own data: remove the data section");
        return null;
    }

    private static MappingReader? Section(MappingReader top, string key, bool required = false) =>
        MappingReader.Open(required ? top.Require(key) : top.Take(key), top.PathOf(key), top.Diag);

    /// <summary>The single document's root node, or null with the syntax error / emptiness reported.</summary>
    private static YamlNode? Root(string yaml, SpecDiagnostics diag)
    {
        if (SpecLimits.Check(yaml) is { } refused)
        {
            diag.Error("", refused.Line, refused.Message);
            return null;
        }
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var message = LocationPrefix().Replace(ex.Message, "");
            // YamlDotNet places tab and alias errors at the start of the document; point at the culprit instead.
            var line = ex switch
            {
                AnchorNotFoundException => AliasLine(yaml, message) ?? ex.Start.Line,
                _ when message.Contains("tab", StringComparison.Ordinal) => FirstLine(yaml, IsTabIndented) ?? ex.Start.Line,
                _ => ex.Start.Line,
            };
            diag.Error("", line, $"YAML syntax error: {message}");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these (no position) for some unterminated flow collections and misplaced
            // anchors/aliases; the last event it produced is where the broken value starts.
            diag.Error("", parser.Current?.End.Line ?? 0, "YAML syntax error: malformed value (an unclosed bracket, brace or quote?)");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            diag.Error("", stream.Documents[1].RootNode.Start.Line,
                $"expected one YAML document, found {stream.Documents.Count}");
            return null;
        }
        if (stream.Documents.Count == 0 || MappingReader.IsNull(stream.Documents[0].RootNode))
        {
            diag.Error("", 0, "spec is empty");
            return null;
        }
        return stream.Documents[0].RootNode;
    }

    private static long? AliasLine(string yaml, string message) =>
        AnchorName().Match(message) is { Success: true } m ? FirstLine(yaml, line => line.Contains($"*{m.Groups[1].Value}", StringComparison.Ordinal)) : null;

    private static bool IsTabIndented(string line) => line[..(line.Length - line.TrimStart(' ', '\t').Length)].Contains('\t');

    private static long? FirstLine(string yaml, Func<string, bool> predicate)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (predicate(lines[i])) return i + 1;
        }
        return null;
    }

    [GeneratedRegex("anchor '([^']+)'")]
    private static partial Regex AnchorName();

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; the line is reported separately.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();
}
