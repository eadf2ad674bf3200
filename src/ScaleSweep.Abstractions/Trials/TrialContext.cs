namespace ScaleSweep.Abstractions.Trials;

/// <summary>Which attempt of which sweep a runner is running, and where: the silo's device and the sweep's results folder.</summary>
public sealed record TrialContext(string SweepId, string TrialKey, int Attempt)
{
    /// <summary>The worker's device (<c>cpu</c> or <c>cuda:N</c>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The sweep's results folder; null when the trial runs outside a sweep.</summary>
    public string? ResultsFolder { get; init; }

    /// <summary>A ladder's rung leg: train only the first this many steps of the full run; 0 runs the trial to the end.</summary>
    public int StopAtStep { get; init; }

    /// <summary>A trial run on its own (the <c>train</c> command, tests): no sweep, the first attempt.</summary>
    public static TrialContext Standalone(TrialSpec spec) => new("", Trials.TrialKey.For(spec), 1);
}
