using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Rules that span sections (model kind vs fields, width vs heads, top_k vs experts, trial count, transfer
/// axis) and the defaults that depend on the grid (base shape, transfer axis, noop sizes).
/// </summary>
internal static class SpecCrossChecks
{
    public static SweepSpec Resolve(SweepSpec spec, SpecDiagnostics diag, string? axis, (int? Width, int? Depth, int? Experts) baseShape)
    {
        var model = ResolveModel(spec, diag);
        spec = spec with { Model = model };
        if (ModelKind.TryParse(model.Kind, out var kind))
        {
            if (kind.Uses("heads")) CheckHeads(spec, diag);
            if (kind.Uses("top_k")) CheckTopK(spec, diag);
            CheckData(spec, kind, diag);
        }
        CheckWarmup(spec, diag);
        CheckTrialCount(spec, diag);
        return spec with
        {
            Base = new BaseShape(
                baseShape.Width ?? Smallest(spec, "width", model.Width),
                baseShape.Depth ?? Smallest(spec, "depth", model.Depth),
                baseShape.Experts ?? Smallest(spec, "experts", model.Experts)),
            Transfer = spec.Transfer with { Axis = TransferAxis(spec, diag, axis) },
        };
    }

    private static ModelConfig ResolveModel(SweepSpec spec, SpecDiagnostics diag)
    {
        var model = spec.Model;
        if (!ModelKind.TryParse(model.Kind, out var kind)) return model; // unknown or missing kind: already reported
        foreach (var field in ModelKind.KindOnlyFields)
        {
            if (diag.Has($"model.{field}") && !kind.Uses(field))
                diag.Error($"model.{field}", OnlyFor(ModelKind.Using(field), model.Kind));
        }
        foreach (var axis in spec.Grid)
        {
            var key = GridKeys.Find(axis.Key)!;
            if (!key.UsedBy(kind)) diag.Error($"grid.{axis.Key}", OnlyFor(key.Kinds, model.Kind));
        }
        // A noop trial does no work, so its sizes are labels only; a program may have no use for a size (an MLP for
        // depth): default them to 1 (then m = 1 in the rules it gets).
        var noop = kind == ModelKind.Noop || kind == ModelKind.Command;
        if (model.Width == 0 && !Swept(spec, "width"))
        {
            if (noop) model = model with { Width = 1 };
            else if (!diag.Has("model.width")) diag.Error("model.width", "required (fix it in model or sweep it in grid)");
        }
        if (model.Depth == 0 && !Swept(spec, "depth"))
        {
            if (noop) model = model with { Depth = 1 };
            else if (!diag.Has("model.depth")) diag.Error("model.depth", "required (fix it in model or sweep it in grid)");
        }
        foreach (var field in kind.RequiredFields.Where(f => !diag.Has($"model.{f}") && !Swept(spec, f)))
            diag.Error($"model.{field}", $"required for model kind {kind.Name} (fix it in model or sweep it in grid)");
        // One active expert unless the spec says otherwise.
        if (kind.Uses("top_k") && model.TopK == 0 && !Swept(spec, "top_k")) model = model with { TopK = 1 };
        return model;
    }

    private static void CheckData(SweepSpec spec, ModelKind kind, SpecDiagnostics diag)
    {
        if (!DataKind.TryParse(spec.Data.Kind, out var data) || kind.Reads(data)) return;
        var readable = DataKind.All.Where(kind.Reads).Select(d => d.Name);
        diag.Error("data.kind", $"model kind {kind.Name} cannot read '{data.Name}' (use: {string.Join(", ", readable)})");
    }

    private static string OnlyFor(ImmutableArray<string> kinds, string kind) =>
        $"only used by model kind {string.Join(" or ", kinds)}, not {kind}";

    private static void CheckHeads(SweepSpec spec, SpecDiagnostics diag)
    {
        var heads = ValuesOf(spec, "heads", spec.Model.Heads).ToList();
        foreach (var (width, path) in ValuesOf(spec, "width", spec.Model.Width))
        {
            if (heads.FirstOrDefault(h => width % h.Value != 0) is { Path: not null } bad)
                diag.Error(path, $"{Show(width)} is not a multiple of heads {Show(bad.Value)}");
        }
    }

    private static void CheckTopK(SweepSpec spec, SpecDiagnostics diag)
    {
        var experts = ValuesOf(spec, "experts", spec.Model.Experts).ToList();
        foreach (var (topK, path) in ValuesOf(spec, "top_k", spec.Model.TopK))
        {
            if (experts.FirstOrDefault(e => topK > e.Value) is { Path: not null } bad)
                diag.Error(path, $"top_k {Show(topK)} exceeds experts {Show(bad.Value)}");
        }
    }

    private static void CheckWarmup(SweepSpec spec, SpecDiagnostics diag)
    {
        var fewestSteps = ValuesOf(spec, "steps", spec.Train.Steps).Select(s => s.Value).DefaultIfEmpty(spec.Train.Steps).Min();
        if (spec.Train.WarmupSteps > fewestSteps)
            diag.Error("train.warmup_steps", $"{spec.Train.WarmupSteps} exceeds steps {Show(fewestSteps)}");
    }

    private static void CheckTrialCount(SweepSpec spec, SpecDiagnostics diag)
    {
        // Counted in double: a wild grid must produce an error, not an overflow.
        var count = spec.Grid.Aggregate((double)Math.Max(1, spec.Parameterizations.Length), (n, a) => n * a.Values.Length);
        if (count <= spec.MaxTrials) return;
        var factors = spec.Grid.Select(a => $"{a.Key} {a.Values.Length}").Prepend($"{spec.Parameterizations.Length} parameterizations");
        diag.Error("grid", $"expands to {count.ToString("0", CultureInfo.InvariantCulture)} trials ({string.Join(" × ", factors)}), " +
            $"more than limits.max_trials ({spec.MaxTrials})");
    }

    private static string TransferAxis(SweepSpec spec, SpecDiagnostics diag, string? axis)
    {
        if (axis is null)
            return ScaleAxis.Names.FirstOrDefault(k => Swept(spec, k)) ?? ScaleAxis.Width.Name;
        var candidates = GridKeys.Names.Where(k => k is not "lr" and not "seed").ToList();
        if (!candidates.Contains(axis))
            diag.Error("transfer.axis", MappingReader.Unknown(axis, candidates));
        else if (!Swept(spec, axis))
            diag.Error("transfer.axis", $"'{axis}' is not swept in grid (swept: {string.Join(", ", spec.SweptKeys)})");
        return axis;
    }

    private static int Smallest(SweepSpec spec, string key, int fixedValue) =>
        spec.Grid.FirstOrDefault(a => a.Key == key) is { Values.Length: > 0 } axis ? (int)axis.Values.Min()
        : fixedValue > 0 ? fixedValue
        : 1;

    private static bool Swept(SweepSpec spec, string key) => spec.Grid.Any(a => a.Key == key);

    /// <summary>The values a key takes, each with the path to blame: grid entries, or the fixed model field.</summary>
    private static IEnumerable<(double Value, string Path)> ValuesOf(SweepSpec spec, string key, double fixedValue)
    {
        if (spec.Grid.FirstOrDefault(a => a.Key == key) is { } axis)
            return axis.Values.Select((v, i) => (v, SpecDiagnostics.Item($"grid.{key}", i)));
        var fixedAt = GridKeys.Find(key)!.FixedAt.FirstOrDefault() ?? key;
        return fixedValue > 0 ? [(fixedValue, fixedAt)] : [];
    }

    private static string Show(double value) => ValueRule.Show(value);
}
