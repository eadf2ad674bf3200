using System.Collections.Immutable;
using System.Globalization;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Grains.Results;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// The <c>noop</c> model: waits <c>work_ms</c> (and for its <see cref="NoopGate"/>, when the spec sets one) and returns a completed row with a deterministic fake loss, so the
/// orchestration (and the analysis downstream) can be exercised and benchmarked without TorchSharp.
/// </summary>
public sealed class NoopTrialRunner : ITrialRunner
{
    public TrialResult Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var started = DateTimeOffset.UtcNow;
        var steps = Math.Max(1, spec.Optim.Steps);
        if (spec.Model.WorkMs > 0 && cancellation.WaitHandle.WaitOne(spec.Model.WorkMs))
            cancellation.ThrowIfCancellationRequested();
        cancellation.ThrowIfCancellationRequested();
        // Last: a trial that took one of the gate's passes must deliver its row.
        if (spec.Model.Gate is { } gate) NoopGate.Pass(gate, spec.Model.GatePasses, cancellation);
        var key = TrialKey.For(spec);
        var loss = FakeLoss(spec, key);
        progress?.Invoke(new TrialProgress(steps, steps, loss));
        var finished = DateTimeOffset.UtcNow;
        return TrialRows.FromSpec("", key, spec, TrialStatus.Completed) with
        {
            FinalTrainLoss = loss,
            FinalEvalLoss = loss,
            BestEvalLoss = loss,
            EvalAccuracy = Math.Exp(-loss),
            Steps = steps,
            WallSeconds = (finished - started).TotalSeconds,
            StartedAt = started,
            FinishedAt = finished,
            Curve = ImmutableArray.Create(new CurvePoint(steps, loss, loss, spec.Optim.Lr)),
        };
    }

    /// <summary>
    /// A bowl in log2 LR centred at 2^-8 whatever the width (so the fake sweep "transfers"), lower for wider
    /// models, plus a little noise fixed by the trial key.
    /// </summary>
    public static double FakeLoss(TrialSpec spec) => FakeLoss(spec, TrialKey.For(spec));

    private static double FakeLoss(TrialSpec spec, string key)
    {
        var log2Lr = spec.Optim.Lr > 0 ? Math.Log2(spec.Optim.Lr) : -8;
        var noise = ulong.Parse(key.AsSpan(0, 8), NumberStyles.HexNumber) / (double)uint.MaxValue;
        var width = Math.Max(1, spec.Model.Width);
        return 0.5 + 0.05 * (log2Lr + 8) * (log2Lr + 8) + 1.0 / Math.Sqrt(width) + 0.01 * noise;
    }
}
