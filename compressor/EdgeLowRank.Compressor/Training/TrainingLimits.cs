namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The largest batch and thread count the tools accept. Beyond them a run does not get faster, only fails late: a batch's
/// activations are allocated whole (2^31 samples overflowed an array size), and every thread gets its own buffers
/// (100,000 threads ran out of memory after a full epoch).
/// </summary>
public static class TrainingLimits
{
    /// <summary>Samples per batch, at most.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>Threads, at most (as elr-run bench allows).</summary>
    public const int MaxThreads = 256;
}
