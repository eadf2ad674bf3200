namespace ScaleSweep.Analysis.Trainability;

/// <summary>The results cannot answer the trainability question (no σ_w² column, a second swept key ξ_c depends on).</summary>
public sealed class TrainabilityInputException(string message) : Exception(message);
