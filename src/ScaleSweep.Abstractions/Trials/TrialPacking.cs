using ScaleSweep.Abstractions.Parameterizations;
using ScaleSweep.Abstractions.Vocabulary;

namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// Which trials may train together as one stacked model (<c>resources.pack</c>), and how many. Members of a pack
/// share their shape: everything but the per-member scalars (lr, weight decay, ε, seed, parameterization and its
/// options, which become per-member tensors). Only families whose <see cref="ModelKind.Packs"/> is set pack, without
/// dropout (masks come from each trial's generator) or LayerNorm, on feature data, and with a table whose first step
/// has no LRs of its own (IP's large or calibrated first step).
/// </summary>
public static class TrialPacking
{
    /// <summary><c>resources.pack: auto</c>, as the spec holds it.</summary>
    public const int Auto = 0;

    /// <summary>
    /// Widest model <c>auto</c> packs. Measured on 1 CPU thread (quickstart MLP on Fashion-MNIST, packs of 8 of one
    /// seed, medians of 3 interleaved runs, two runs): packed/unpacked trials/s 1.5–1.6× at width 64, 1.0–1.3× at
    /// 128, 0.8× at 256: above 64 the step is matmul arithmetic, which packing does not reduce, and batched matmuls
    /// over stacked tensors that leave the L2 cache run slower than single ones.
    /// </summary>
    public const int AutoMaxWidth = 64;

    /// <summary>Members per pack under <c>auto</c> (at width 64: 4 → 1.55×, 8 → 1.63×, 16 → 1.25× the unpacked trials/s).</summary>
    public const int AutoSize = 8;

    public static bool IsPackable(TrialSpec spec) =>
        ModelKind.TryParse(spec.Model.Kind, out var kind) && kind.Packs
        && spec.Model.Dropout == 0 && !spec.Model.LayerNorm
        && DataKind.TryParse(spec.Data.Kind, out var data) && data.Shape == DataShape.Features
        && BuiltInTables.Of(spec) is { } table && !table.Roles.Values.Any(r => HasOwnFirstStep(r.ForOptimizer(spec.Optim.Optimizer)));

    /// <summary>The most members a pack of <paramref name="spec"/>'s trials may have under the setting <paramref name="pack"/> (1: unpacked).</summary>
    public static int SizeFor(TrialSpec spec, int pack)
    {
        if (!IsPackable(spec)) return 1;
        if (pack != Auto) return Math.Max(1, pack);
        return spec.Model.Width <= AutoMaxWidth ? AutoSize : 1;
    }

    /// <summary>Equal for trials that may share a pack: the key of the spec with its per-member scalars cleared.</summary>
    public static string ShapeKey(TrialSpec spec) => TrialKey.For(spec with
    {
        Parameterization = "",
        Seed = 0,
        Options = ParameterizationOptions.Default,
        CustomTable = null,
        Extra = System.Collections.Immutable.ImmutableSortedDictionary<string, double>.Empty,
        Optim = spec.Optim with { Lr = 0, WeightDecay = 0, Eps = 0 },
    });

    private static bool HasOwnFirstStep(OptimizerRule rule) => rule.FirstStepLr is not null || rule.FirstStepCalibration > 0;
}
