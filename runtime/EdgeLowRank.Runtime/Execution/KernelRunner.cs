using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// How the layers of one pass run their kernels: the instruction path every kernel takes, and the matrix products of
/// dense layers and convolutions, which this runner computes on the calling thread alone and
/// <see cref="SplitKernelRunner"/> splits across the session's worker threads.
/// </summary>
internal class KernelRunner(KernelPath path)
{
    /// <summary>The resolved instruction path (never <see cref="KernelPath.Auto"/>).</summary>
    public KernelPath Path => path;

    /// <summary>Y = act(X·W + bias) for <paramref name="batch"/> rows of X, read where <paramref name="rows"/> says.</summary>
    public virtual void Multiply(ReadOnlySpan<float> x, int batch, in InputRows rows, PackedMatrix weights, ReadOnlySpan<float> bias,
        Activation activation, Span<float> y) =>
        DenseKernel.RunRows(x, batch, rows, PanelWeights.Of(weights), weights.Rows, weights.Columns, bias, activation, y, path, PanelShare.Whole);

    /// <summary>Y = act(X·W + bias) for <paramref name="batch"/> contiguous rows of X.</summary>
    public void Multiply(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, Activation activation, Span<float> y) =>
        Multiply(x, batch, InputRows.Contiguous(batch, weights.Rows), weights, bias, activation, y);
}
