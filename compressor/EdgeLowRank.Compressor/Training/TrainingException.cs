namespace EdgeLowRank.Compressor.Training;

/// <summary>A training request that cannot be carried out (an unknown model, a shape mismatch, a bad setting);
/// the message is written for the user and says what to change.</summary>
public class TrainingException(string message) : Exception(message);

/// <summary>SGD diverged (<see cref="DivergenceSign"/>): the weights are garbage from that step on. Its own type, so a caller
/// that can go on without the epoch (elr compress --finetune-best keeps the best one before it) catches this and no other
/// failure.</summary>
public sealed class TrainingDivergedException(string message) : TrainingException(message);
