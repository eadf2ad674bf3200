using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Grains.Results;

/// <summary>Builds result rows from a trial's spec: the configuration columns, with no measurements yet.</summary>
public static class TrialRows
{
    /// <summary>The row of a trial that produced no result of its own (failed or cancelled), or a runner's starting point.</summary>
    public static TrialResult FromSpec(string sweepId, string key, TrialSpec spec, TrialStatus status) => new()
    {
        SweepId = sweepId,
        TrialKey = key,
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
        Extra = spec.Extra,
        Status = status,
    };
}
