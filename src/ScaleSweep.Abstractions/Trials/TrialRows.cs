namespace ScaleSweep.Abstractions.Trials;

/// <summary>
/// The one place a result row is put together: configuration columns from the spec, identity from the attempt,
/// everything else from the runner's measurements. Nothing stamps a row after this.
/// </summary>
public static class TrialRows
{
    public static TrialResult Compose(TrialSpec spec, TrialAttempt attempt, TrialMeasurements measured)
    {
        // Pending and leased are the sweep's bookkeeping; a row records how a trial ended.
        if (!measured.Status.IsFinal())
            throw new ArgumentException($"a result row needs a final status, not '{measured.Status.ToName()}'", nameof(measured));
        return new TrialResult
        {
            SweepId = attempt.SweepId,
            TrialKey = attempt.TrialKey,
            Parameterization = spec.Parameterization,
            Model = spec.Model.Kind,
            Optimizer = spec.Optim.Optimizer,
            Width = spec.Model.Width,
            Depth = spec.Model.Depth,
            Experts = spec.Model.Experts,
            ExpertWidth = spec.Model.ExpertWidth,
            TopK = spec.Model.TopK,
            Lr = spec.Optim.Lr,
            Seed = spec.Seed,
            // A reported value never overrides a swept one: the configuration is what the trial's key says.
            Extra = measured.Metrics.IsEmpty ? spec.Extra : spec.Extra.SetItems(measured.Metrics.Where(m => !spec.Extra.ContainsKey(m.Key))),
            Status = measured.Status,
            FinalTrainLoss = measured.FinalTrainLoss,
            FinalEvalLoss = measured.FinalEvalLoss,
            EvalAccuracy = measured.EvalAccuracy,
            BestEvalLoss = measured.BestEvalLoss,
            DivergedAtStep = measured.DivergedAtStep,
            Steps = measured.Steps,
            Params = measured.Params,
            WallSeconds = measured.WallSeconds,
            SamplesPerSecond = measured.SamplesPerSecond,
            Silo = attempt.Silo,
            Attempt = attempt.Attempt,
            StartedAt = attempt.StartedAt,
            FinishedAt = attempt.FinishedAt,
            Error = measured.Error,
            Curve = measured.Curve,
        };
    }
}
