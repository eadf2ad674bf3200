using ScaleSweep.Abstractions.Vocabulary;
namespace ScaleSweep.Training.Optimization;

/// <summary>LR multiplier per step: linear warmup, then the schedule's decay (<see cref="ScheduleKind"/>).</summary>
public static class LrSchedule
{
    /// <param name="step">1-based step about to be taken.</param>
    public static double Factor(string schedule, int step, int totalSteps, int warmupSteps)
    {
        if (warmupSteps > 0 && step <= warmupSteps) return (double)step / warmupSteps;
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0, 1);
        return ScheduleKind.Get(schedule).Decay(progress);
    }
}
