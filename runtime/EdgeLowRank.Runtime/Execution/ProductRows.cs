using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A matrix product split by rows of X (<see cref="SplitKernelRunner.ProductSplitFor"/>: a convolution with more pixels
/// than output channels): the units a part takes and the part itself. Every row is computed by the GEMM micro-kernel, each row's
/// sums in the same order whatever block holds it, so the parts together compute what one thread computes.
/// </summary>
internal static class ProductRows
{
    /// <summary>The units a product of <paramref name="rows"/> rows in groups of <paramref name="groupRows"/> is cut into:
    /// its groups (a convolution's output rows, which its windows' strides follow), or, for one group of contiguous rows (a
    /// 1×1 convolution's pixels, a batch), the rows themselves, 16 at a time: each part's outputs then fill whole cache
    /// lines, and it has rows enough for the GEMM (<see cref="DenseKernel.GemmMinBatch"/>), whose sums a lone row's GEMV
    /// would not reproduce.</summary>
    public static void Units(int rows, int groupRows, out int units, out int alignment) =>
        (units, alignment) = groupRows == rows ? (rows, 16) : (rows / groupRows, 1);

    /// <summary>Units <paramref name="start"/> up to <paramref name="end"/> of Y = act(X·W + bias) (<see cref="Units"/>),
    /// every output panel of them. The part's Y ends at its last row, so the partial last panel's full-width store, which
    /// spills into the next row, goes through the kernel's tile there rather than into the next part's first row.</summary>
    public static void Run(KernelPath path, ReadOnlySpan<float> x, int batch, in InputRows rows, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y, int start, int end)
    {
        bool oneGroup = rows.GroupRows == batch;
        int first = oneGroup ? start : start * rows.GroupRows, count = oneGroup ? end - start : (end - start) * rows.GroupRows;
        int outputs = weights.Columns;
        DenseKernel.RunRows(x[rows.RowStart(first)..], count, oneGroup ? rows with { GroupRows = count } : rows, PanelWeights.Of(weights),
            weights.Rows, outputs, bias, activation, y.Slice(first * outputs, count * outputs), path, PanelShare.Whole);
    }
}
