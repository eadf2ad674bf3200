using System.Collections.Immutable;
using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>Small sweep plans built in code: noop trials over a width × lr grid.</summary>
internal static class TestPlans
{
    public static TrialSpec Spec(string kind, int width, double lr, int workMs = 0, string device = "cpu") =>
        new(
            "mup",
            new ModelConfig(kind, width, 2) { WorkMs = workMs },
            new DataConfig("synthetic"),
            new OptimConfig("adam", lr, Steps: 10, Batch: 8),
            new BaseShape(64, 2),
            Seed: 0,
            ParameterizationOptions.Default)
        { Device = device };

    /// <summary><paramref name="trials"/> trials of <paramref name="kind"/>, distinct by width and lr.</summary>
    public static SweepPlan Make(string name, int trials, string kind = "noop", int workMs = 0, string device = "cpu", int maxAttempts = 3)
    {
        var list = Enumerable.Range(0, trials)
            .Select(i => Spec(kind, 64 << (i % 4), Math.Pow(2, -4 - i / 4), workMs, device))
            .Select(s => new PlannedTrial(TrialKey.For(s), s))
            .ToImmutableArray();
        return Make(name, list, maxAttempts);
    }

    public static SweepPlan Make(string name, ImmutableArray<PlannedTrial> trials, int maxAttempts = 3) =>
        new(name, trials, new SweepSettings(maxAttempts, new TransferSettings("width", 1.0)) { SweptKeys = ["width", "lr"] });

    public static PlannedTrial Planned(TrialSpec spec) => new(TrialKey.For(spec), spec);

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
