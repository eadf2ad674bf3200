namespace ScaleSweep.Training.Optimization;

/// <summary>LR multiplier per step: linear warmup, then constant, cosine or linear decay to zero.</summary>
public static class LrSchedule
{
    public static readonly IReadOnlyList<string> Names = ["constant", "cosine", "linear"];

    /// <param name="step">1-based step about to be taken.</param>
    public static double Factor(string schedule, int step, int totalSteps, int warmupSteps)
    {
        if (warmupSteps > 0 && step <= warmupSteps) return (double)step / warmupSteps;
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0, 1);
        return schedule switch
        {
            "constant" => 1,
            "cosine" => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            "linear" => 1 - progress,
            _ => throw new ArgumentException($"unknown schedule '{schedule}' (known: {string.Join(", ", Names)})"),
        };
    }
}
