namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The least work a part of a split run gets, below which a session runs the work on one thread: waking a parked worker
/// costs the caller a few microseconds, which a smaller share would not win back. A session takes them from its
/// <see cref="SessionOptions"/> (<see cref="Default"/>); the fuzzing harness gives a session lower ones, so that small
/// files reach the split runs, without touching any other session.
/// </summary>
/// <param name="BatchMultiplyAccumulatesPerPart">The fewest multiply–adds a part of a batch split into samples gets: a batch
/// smaller than this per thread runs faster alone (LeNet-300-100 factorized at batch 4, 0.17 M multiply–adds, took 4.8 µs
/// split in two against 4.7 µs alone).</param>
/// <param name="KernelMultiplyAccumulatesPerPart">The fewest multiply–adds a part of one split product or depthwise
/// convolution gets.</param>
/// <param name="ElementsPerPart">The fewest elements a part of a split element-wise map gets (about 8 µs of SiLU at sixteen
/// lanes, 16 µs at eight); a <see cref="RangeKernel"/>'s part gets as many floats of work.</param>
internal sealed record SplitThresholds(long BatchMultiplyAccumulatesPerPart, long KernelMultiplyAccumulatesPerPart, int ElementsPerPart)
{
    /// <summary>The thresholds every session uses unless the fuzzing harness says otherwise.</summary>
    public static SplitThresholds Default { get; } = new(1_000_000, 250_000, 16_384);
}
