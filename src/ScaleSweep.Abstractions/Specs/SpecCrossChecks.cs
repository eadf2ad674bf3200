using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Abstractions.Specs;

/// <summary>
/// Rules that span sections (model kind vs fields, width vs heads, top_k vs experts, trial count, transfer
/// axis) and the defaults that depend on the grid (base shape, transfer axis, noop sizes).
/// </summary>
internal static class SpecCrossChecks
{
    /// <summary>Model fields that only some kinds use; setting them for another kind is a mistake.</summary>
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> KindOnlyFields =
        new Dictionary<string, ImmutableArray<string>>
        {
            ["experts"] = ["moe"],
            ["expert_width"] = ["moe"],
            ["top_k"] = ["moe"],
            ["aggregation"] = ["moe"],
            ["load_balance"] = ["moe"],
            ["heads"] = SpecVocabulary.AttentionKinds,
            ["context"] = SpecVocabulary.AttentionKinds,
            ["work_ms"] = ["noop"],
            ["gate"] = ["noop"],
            ["gate_passes"] = ["noop"],
        }.ToImmutableDictionary();

    public static SweepSpec Resolve(SweepSpec spec, SpecDiagnostics diag, string? axis, (int? Width, int? Depth, int? Experts) baseShape)
    {
        var model = ResolveModel(spec, diag);
        spec = spec with { Model = model };
        if (SpecVocabulary.AttentionKinds.Contains(model.Kind)) CheckHeads(spec, diag);
        if (model.Kind == "moe") CheckTopK(spec, diag);
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
        if (model.Kind.Length == 0) return model; // unknown or missing kind: already reported
        foreach (var (field, kinds) in KindOnlyFields)
        {
            if (diag.Has($"model.{field}") && !kinds.Contains(model.Kind))
                diag.Error($"model.{field}", OnlyFor(kinds, model.Kind));
        }
        foreach (var axis in spec.Grid)
        {
            var key = GridKeys.Find(axis.Key)!;
            if (!key.OnlyFor.IsEmpty && !key.OnlyFor.Contains(model.Kind)) diag.Error($"grid.{axis.Key}", OnlyFor(key.OnlyFor, model.Kind));
        }
        var noop = model.Kind == "noop";
        // A noop trial does no work, so its sizes are labels only: default them to 1.
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
        if (model.Kind == "transformer" && model.Heads == 0 && !Swept(spec, "heads") && !diag.Has("model.heads"))
            diag.Error("model.heads", "required for model kind transformer (fix it in model or sweep it in grid)");
        if (model.Kind == "moe")
        {
            if (model.Experts == 0 && !Swept(spec, "experts") && !diag.Has("model.experts"))
                diag.Error("model.experts", "required for model kind moe (fix it in model or sweep it in grid)");
            // One active expert unless the spec says otherwise.
            if (model.TopK == 0 && !Swept(spec, "top_k")) model = model with { TopK = 1 };
        }
        return model;
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
            return GridKeys.ScaleAxes.FirstOrDefault(k => Swept(spec, k)) ?? "width";
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
