namespace ScaleSweep.Abstractions.Trials;

/// <summary>One trial of a pack: its spec, where its progress goes, and its own cancellation (a lease lost for one member stops that member only).</summary>
public sealed record PackMember(TrialSpec Spec, Action<TrialProgress>? Progress = null, CancellationToken Cancellation = default);

/// <summary>
/// Trains a pack (<see cref="TrialPacking"/>): trials of one shape as one stacked model, each measured as if it had
/// run alone. A silo that registers none runs a pack's members one after the other.
/// </summary>
public interface IPackRunner
{
    /// <param name="stopAtStep">A ladder rung leg's last step, the same for every member; 0 runs to the end.</param>
    /// <returns>One measurement per member, in order; a diverged or cancelled member is a result, not an exception.</returns>
    IReadOnlyList<TrialMeasurements> Run(IReadOnlyList<PackMember> members, int stopAtStep);
}
