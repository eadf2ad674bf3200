using System.Collections.Concurrent;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>
/// The injected "trainer" of the test silos, by model kind: <c>throw</c> always fails; <c>diverge</c> diverges at step 3
/// after one progress report; <c>block</c> runs until its
/// cancellation token fires and records when it started and when it was cancelled. Silos of a TestCluster share
/// this process, so the records are static.
/// </summary>
public sealed class ScriptedTrialRunner : ITrialRunner
{
    public static ConcurrentDictionary<string, DateTimeOffset> Started { get; } = new();

    public static ConcurrentDictionary<string, DateTimeOffset> CancelledAt { get; } = new();

    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var key = TrialKey.For(spec);
        switch (spec.Model.Kind)
        {
            case "throw":
                throw new InvalidOperationException($"boom in {key}");
            case "diverge":
                progress?.Invoke(new TrialProgress(3, spec.Optim.Steps, double.NaN));
                return TrialMeasurements.None(TrialStatus.Diverged) with { DivergedAtStep = 3, Steps = 3 };
            case "block":
                Started[key] = DateTimeOffset.UtcNow;
                progress?.Invoke(new TrialProgress(1, 10, 2.5));
                cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
                CancelledAt[key] = DateTimeOffset.UtcNow;
                cancellation.ThrowIfCancellationRequested();
                return TrialMeasurements.None(TrialStatus.Completed);
            default:
                throw new NotSupportedException($"unknown test model kind '{spec.Model.Kind}'");
        }
    }
}
