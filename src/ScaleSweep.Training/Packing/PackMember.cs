using ScaleSweep.Abstractions.Trials;

namespace ScaleSweep.Training.Packing;

/// <summary>One trial of a pack: its spec, where its progress goes, and its own cancellation (a lease lost for one member stops that member only).</summary>
public sealed record PackMember(TrialSpec Spec, Action<TrialProgress>? Progress = null, CancellationToken Cancellation = default);
