using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>elr_options of include/elr.h: how a session runs; every 0 is the default.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeOptions
{
    /// <summary>The reserved words after the options, which later options will take.</summary>
    public const int ReservedWords = 6;

    /// <summary>max_batch_size: the largest pass; 0 is 64, or the most the model takes when that is less.</summary>
    public int MaxBatchSize;

    /// <summary>threads: the threads one run uses; 0 is 1.</summary>
    public int Threads;

    /// <summary>reserved: must be 0.</summary>
    public ReservedWordArray Reserved;

    /// <summary>Refuses values no model could take, before the model is read.</summary>
    public void Validate()
    {
        if (MaxBatchSize < 0)
            throw new ApiArgumentException($"options->max_batch_size is {MaxBatchSize}; give the largest batch to run in one pass (1 or more), or 0 for the default, 64.");
        if (Threads is < 0 or > InferenceSession.MaxThreads)
            throw new ApiArgumentException($"options->threads is {Threads}; give 1 to {InferenceSession.MaxThreads}, or 0 for the default, 1.");
        // Not 0: a program that did not zero the struct, or one built for a later library whose options this one lacks.
        for (int i = 0; i < ReservedWords; i++)
            if (Reserved[i] != 0)
                throw new ApiArgumentException($"options->reserved[{i}] is {Reserved[i]}, not 0; initialize the whole elr_options (elr_options options = ELR_OPTIONS_INIT;) before setting its fields.");
    }

    /// <summary>The reserved words as an inline array, not a C# fixed buffer: a fixed buffer marks the struct unsafe, and
    /// the compiler then guards every frame holding one with a stack cookie, which an export reads before its first call
    /// has started the runtime (and set the cookie): elr_session_open as a program's first call into the library ended the
    /// process at its return.</summary>
    [InlineArray(ReservedWords)]
    public struct ReservedWordArray
    {
        private int _word;
    }
}
