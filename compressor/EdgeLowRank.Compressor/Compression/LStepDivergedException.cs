namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// An L step's SGD diverged (the loss or the weights became NaN or infinite): the run cannot go on, and a lower rate or
/// penalty is the cure, which the message names. Its own type beside <see cref="Training.TrainingDivergedException"/> (the
/// fine-tune's, which a resume from the checkpoint redoes alone), so that elr gives both the exit code of a divergence
/// rather than that of a request that cannot work.
/// </summary>
public sealed class LStepDivergedException(string message) : Exception(message);
