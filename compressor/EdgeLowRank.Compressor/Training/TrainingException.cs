namespace EdgeLowRank.Compressor.Training;

/// <summary>A training request that cannot be carried out (an unknown model, a shape mismatch, a bad setting);
/// the message is written for the user and says what to change.</summary>
public sealed class TrainingException(string message) : Exception(message);
