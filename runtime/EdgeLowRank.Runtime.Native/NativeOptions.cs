using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>elr_options of include/elr.h: how a session runs; every 0 is the default.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeOptions
{
    /// <summary>max_batch_size: the largest pass; 0 is 64, or the most the model takes when that is less.</summary>
    public int MaxBatchSize;

    /// <summary>threads: the threads one run uses; 0 is 1.</summary>
    public int Threads;

    /// <summary>Refuses values no model could take, before the model is read.</summary>
    public readonly void Validate()
    {
        if (MaxBatchSize < 0)
            throw new ApiArgumentException($"options->max_batch_size is {MaxBatchSize}; give the largest batch to run in one pass (1 or more), or 0 for the default, 64.");
        if (Threads is < 0 or > InferenceSession.MaxThreads)
            throw new ApiArgumentException($"options->threads is {Threads}; give 1 to {InferenceSession.MaxThreads}, or 0 for the default, 1.");
    }
}
