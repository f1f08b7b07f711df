using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A kernel whose outputs fall into units that depend on nothing but their own inputs (elements of an element-wise join,
/// pixels of a ChannelScale, channels of a pooling), run for units <paramref name="start"/> up to <paramref name="end"/>:
/// it reads what those units need of <paramref name="x"/> and <paramref name="a"/> (empty for a kernel of one input) and
/// writes only their outputs to <paramref name="y"/>, on <paramref name="path"/> (the scalar oracle on
/// <see cref="KernelPath.Scalar"/>). A unit is computed the same way whichever range holds it, so the kernel can be split
/// across threads (<see cref="KernelRunner.Ranges"/>) and give one thread's bits.
/// </summary>
internal delegate void RangeKernel(KernelPath path, ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, int start, int end);
