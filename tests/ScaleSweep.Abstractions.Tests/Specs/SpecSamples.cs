using ScaleSweep.Abstractions.Specs;

namespace ScaleSweep.Abstractions.Tests.Specs;

/// <summary>A valid spec with known line numbers; cases break one line of it.</summary>
internal static class SpecSamples
{
    public static readonly string[] Valid =
    [
        /* 1 */ "name: mlp-width",
        /* 2 */ "model: { kind: mlp, depth: 3, activation: relu }",
        /* 3 */ "data: { kind: synthetic }",
        /* 4 */ "train: { optimizer: adam, steps: 20, batch: 16 }",
        /* 5 */ "parameterizations: [sp, mup]",
        /* 6 */ "grid:",
        /* 7 */ "  width: [64, 128, 256]",
        /* 8 */ "  lr: { log2: { from: -10, to: -6, step: 1 } }",
        /* 9 */ "  seed: [0, 1]",
        /* 10 */ "transfer: { axis: width, tolerance_log2: 1.0 }",
        /* 11 */ "resources: { device: cpu, threads_per_trial: 1, max_attempts: 3 }",
    ];

    public static string Text => Join(Valid);

    /// <summary>The valid spec with 1-based line <paramref name="line"/> replaced (may span several lines).</summary>
    public static string With(int line, string replacement)
    {
        var lines = Valid.ToArray();
        lines[line - 1] = replacement;
        return Join(lines);
    }

    /// <summary>The valid spec with extra lines appended.</summary>
    public static string Plus(params string[] extra) => Join([.. Valid, .. extra]);

    public static string Join(IEnumerable<string> lines) => string.Join("\n", lines) + "\n";

    public static SweepSpec Parse(string yaml, SpecMode mode = SpecMode.Embedded) =>
        SweepSpecLoader.Parse(yaml, "test.yaml", mode);
}
