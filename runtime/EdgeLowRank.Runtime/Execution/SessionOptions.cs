using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>Settings fixed when a session is created.</summary>
public sealed record SessionOptions
{
    /// <summary>The largest batch run in one pass; larger batches are split into passes of this size.
    /// The arena grows linearly with it. Default <see cref="DefaultMaxBatchSize"/>.</summary>
    public int MaxBatchSize { get; init; } = DefaultMaxBatchSize;

    /// <summary>The <see cref="MaxBatchSize"/> a session takes unless told otherwise: 64.</summary>
    public const int DefaultMaxBatchSize = 64;

    /// <summary>How many runs are expected at the same time: that many arenas are made up front, so even
    /// the first concurrent calls allocate nothing. More concurrent callers still work (each extra one
    /// makes an arena once). Default 1.</summary>
    public int ConcurrentRuns { get; init; } = 1;

    /// <summary>How many threads one run uses: the calling thread and <c>Threads - 1</c> worker threads the session keeps
    /// until it is disposed. A batch is split into up to that many parts of at least two samples and a million
    /// multiply–adds each; a batch too small for that (one image, say) runs its layers one by one, each dense layer's and
    /// convolution's matrix product split into up to that many parts of at least 250,000 multiply–adds, by output columns
    /// (32 a part at least) or, for a convolution with more pixels than output channels, by rows; each depthwise
    /// convolution by output rows; each element-wise map, Add, ChannelScale and pooling of 32,768 floats or more by runs
    /// of elements, pixels or channels (ONNX Runtime's intra-op threads). Either way the outputs are bit for bit those of the caller
    /// alone. Concurrent runs share the workers; a run that finds them busy runs on its caller alone. The session also
    /// makes <c>Threads - 1</c> more arenas. Default 1: every run on its caller.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Which kernel implementation to use; <see cref="KernelPath.Auto"/> picks the widest the CPU accelerates.</summary>
    public KernelPath KernelPath { get; init; } = KernelPath.Auto;

    /// <summary>The least work a part of a split run gets; internal: only the fuzzing harness gives lower ones.</summary>
    internal SplitThresholds Split { get; init; } = SplitThresholds.Default;
}
