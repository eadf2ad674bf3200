using System.Collections.Immutable;
using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Trials;

/// <summary>
/// What a training loop has measured so far: train losses, evaluations, the curve and whether it diverged or was
/// cancelled. When the loop ends it becomes the trial's <see cref="TrialMeasurements"/>.
/// </summary>
/// <param name="stopAtStep">The step the loop stops at when it is a ladder rung's; 0: the run's last.</param>
internal sealed class TrainingRecord(OptimConfig optim, int stopAtStep = 0)
{
    private readonly int _lastStep = stopAtStep > 0 ? stopAtStep : optim.Steps;

    private readonly ImmutableArray<CurvePoint>.Builder _curve = ImmutableArray.CreateBuilder<CurvePoint>();
    private TrialStatus _status = TrialStatus.Completed;
    private int _steps;
    private double? _initialLoss, _lastTrainLoss, _lastEval, _lastAccuracy, _bestEval;
    private int? _divergedAt;

    /// <summary>Evaluation runs every <c>eval_every</c> steps and after the last one.</summary>
    public bool IsEvalStep(int step) => step == _lastStep || (optim.EvalEvery > 0 && step % optim.EvalEvery == 0);

    /// <summary>Records a step's train loss; true when it diverged (NaN/inf, or above DivergenceFactor × the first loss), which ends the trial.</summary>
    public bool Diverges(int step, double loss, double lr)
    {
        _steps = step;
        _initialLoss ??= loss;
        _lastTrainLoss = loss;
        if (double.IsFinite(loss) && !(loss > optim.DivergenceFactor * _initialLoss.Value)) return false;
        _status = TrialStatus.Diverged;
        _divergedAt = step;
        _curve.Add(new CurvePoint(step, loss, null, lr));
        return true;
    }

    /// <summary>Keeps a step that did not diverge: its evaluation when it had one, and a curve point every <c>log_every</c> steps.</summary>
    public void Log(int step, double loss, double lr, (double Loss, double Accuracy)? eval)
    {
        if (eval is { } e)
        {
            (_lastEval, _lastAccuracy) = e;
            _bestEval = _bestEval is null ? e.Loss : Math.Min(_bestEval.Value, e.Loss);
        }
        if (eval is not null || step == 1 || step % Math.Max(1, optim.LogEvery) == 0)
            _curve.Add(new CurvePoint(step, loss, eval?.Loss, lr));
    }

    public void Cancel() => _status = TrialStatus.Cancelled;

    /// <param name="parameters">The model's trainable parameter count.</param>
    /// <param name="wall">The whole run, setup included.</param>
    /// <param name="training">Time inside optimizer steps only (what samples per second is measured against).</param>
    public TrialMeasurements Measurements(long parameters, TimeSpan wall, TimeSpan training)
    {
        // A diverged eval loss is not a number to compare: the analysis ranks diverged trials by status.
        var diverged = _status == TrialStatus.Diverged;
        return new TrialMeasurements
        {
            Status = _status,
            FinalTrainLoss = _lastTrainLoss,
            FinalEvalLoss = diverged ? null : _lastEval,
            EvalAccuracy = diverged ? null : _lastAccuracy,
            BestEvalLoss = _bestEval,
            DivergedAtStep = _divergedAt,
            Steps = _steps,
            Params = parameters,
            WallSeconds = wall.TotalSeconds,
            SamplesPerSecond = training.TotalSeconds > 0 ? _steps * (double)optim.Batch / training.TotalSeconds : 0,
            Curve = _curve.ToImmutable(),
        };
    }
}
