using System.Diagnostics;
using System.Globalization;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Workers;

/// <summary>
/// The <c>noop</c> model: waits <c>work_ms</c> (and for its <see cref="NoopGate"/>, when the spec sets one) and measures a completed trial with a deterministic fake loss, so the
/// orchestration (and the analysis downstream) can be exercised and benchmarked without TorchSharp.
/// </summary>
public sealed class NoopTrialRunner : ITrialRunner
{
    /// <summary>How much higher the fake loss is at step 0 than at the end (the same for every trial: it keeps the ranking).</summary>
    private const double RungGap = 0.5;

    public TrialMeasurements Run(TrialSpec spec, Action<TrialProgress>? progress, CancellationToken cancellation) =>
        Run(spec, TrialContext.Standalone(spec), progress, cancellation);

    /// <summary>Stopped at a rung, the trial reports the loss it would have there: the final loss plus what the remaining steps would remove.</summary>
    public TrialMeasurements Run(TrialSpec spec, TrialContext context, Action<TrialProgress>? progress, CancellationToken cancellation)
    {
        var stopAtStep = context.StopAtStep;
        var wall = Stopwatch.StartNew();
        var total = Math.Max(1, spec.Optim.Steps);
        var steps = stopAtStep > 0 ? Math.Min(stopAtStep, total) : total;
        if (spec.Model.WorkMs > 0 && cancellation.WaitHandle.WaitOne(spec.Model.WorkMs))
            cancellation.ThrowIfCancellationRequested();
        cancellation.ThrowIfCancellationRequested();
        // Last: a trial that took one of the gate's passes must deliver its row.
        if (spec.Model.Gate is { } gate) NoopGate.Pass(gate, spec.Model.GatePasses, cancellation);
        var loss = FakeLoss(spec) + RungGap * (1 - steps / (double)total);
        progress?.Invoke(new TrialProgress(steps, total, loss));
        return new TrialMeasurements
        {
            Status = TrialStatus.Completed,
            FinalTrainLoss = loss,
            FinalEvalLoss = loss,
            BestEvalLoss = loss,
            EvalAccuracy = Math.Exp(-loss),
            Steps = steps,
            WallSeconds = wall.Elapsed.TotalSeconds,
            Curve = [new CurvePoint(steps, loss, loss, spec.Optim.Lr)],
        };
    }

    /// <summary>
    /// A bowl in log2 LR centred at <see cref="OptimumLog2Lr"/> (2^-8 whatever the width unless the model sets an
    /// optimum slope), lower for wider models, plus a little noise fixed by the trial key.
    /// </summary>
    public static double FakeLoss(TrialSpec spec)
    {
        var key = TrialKey.For(spec);
        var centre = OptimumLog2Lr(spec);
        var log2Lr = spec.Optim.Lr > 0 ? Math.Log2(spec.Optim.Lr) : centre;
        var noise = ulong.Parse(key.AsSpan(0, 8), NumberStyles.HexNumber) / (double)uint.MaxValue;
        var width = Math.Max(1, spec.Model.Width);
        return 0.5 + 0.05 * (log2Lr - centre) * (log2Lr - centre) + 1.0 / Math.Sqrt(width) + 0.01 * noise;
    }

    /// <summary>Log2 of the fake loss's optimal learning rate: −8 + optimum_slope · log2(width / base width).</summary>
    public static double OptimumLog2Lr(TrialSpec spec) =>
        -8 + spec.Model.OptimumSlope * Math.Log2(Math.Max(1, spec.Model.Width) / (double)Math.Max(1, spec.Base.Width));
}
