using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// How the layers of one pass run their kernels: the instruction path every kernel takes, and the kernels whose work on
/// one image is large, the matrix products of dense layers and convolutions, the depthwise convolutions, the element-wise
/// maps (SiLU's exponentials over an EfficientNet's widest images) and the kernels that split into ranges of independent
/// units (<see cref="RangeKernel"/>: Adds, ChannelScales, poolings). This runner runs them on the calling
/// thread alone; <see cref="SplitKernelRunner"/> splits them across the session's worker threads.
/// </summary>
internal class KernelRunner(KernelPath path)
{
    /// <summary>The resolved instruction path (never <see cref="KernelPath.Auto"/>).</summary>
    public KernelPath Path => path;

    /// <summary>Y = act(X·W + bias) for <paramref name="batch"/> rows of X, read where <paramref name="rows"/> says.</summary>
    public virtual void Multiply(ReadOnlySpan<float> x, int batch, in InputRows rows, PackedMatrix weights, ReadOnlySpan<float> bias,
        FusedActivation activation, Span<float> y) =>
        DenseKernel.RunRows(x, batch, rows, PanelWeights.Of(weights), weights.Rows, weights.Columns, bias, activation, y, path, PanelShare.Whole);

    /// <summary>Y = act(X·W + bias) for <paramref name="batch"/> contiguous rows of X.</summary>
    public void Multiply(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, FusedActivation activation, Span<float> y) =>
        Multiply(x, batch, InputRows.Contiguous(batch, weights.Rows), weights, bias, activation, y);

    /// <summary>Y = act(X·W + bias) in integers, each row of X quantized as it runs (<see cref="IntegerDenseKernel"/>), the
    /// quantized rows in <paramref name="scratch"/>.</summary>
    public void MultiplyIntegers(ReadOnlySpan<float> x, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, FusedActivation activation,
        Span<float> y, Span<float> scratch)
    {
        IntegerDenseKernel.Quantize(x, batch, weights.Rows, scratch, path);
        MultiplyQuantized(scratch, batch, weights, bias, activation, y);
    }

    /// <summary>Y = act(X·W + bias) in integers from <paramref name="batch"/> rows already quantized into
    /// <paramref name="quantized"/> (<see cref="IntegerDenseKernel.QuantizedRowsIn"/>): a dense layer's samples, or a
    /// convolution's windows (<see cref="IntegerConvolution"/>).</summary>
    public virtual void MultiplyQuantized(Span<float> quantized, int batch, PackedMatrix weights, ReadOnlySpan<float> bias, FusedActivation activation,
        Span<float> y) =>
        IntegerDenseKernel.Multiply(IntegerDenseKernel.QuantizedRowsIn(quantized, batch, weights.Rows), batch, weights, bias, activation, y, path,
            PanelShare.Whole);

    /// <summary>y = f(x) element by element (<paramref name="y"/> may be <paramref name="x"/>): <paramref name="fast"/>, or
    /// <paramref name="reference"/>, the scalar oracle, on <see cref="KernelPath.Scalar"/>.</summary>
    public virtual void Map(ElementMap fast, ElementMap reference, ReadOnlySpan<float> x, Span<float> y) =>
        (path == KernelPath.Scalar ? reference : fast)(x, y);

    /// <summary>Runs <paramref name="kernel"/> over all <paramref name="units"/> units, each of about
    /// <paramref name="unitFloats"/> floats of work. <see cref="SplitKernelRunner"/> cuts them into ranges whose
    /// boundaries are multiples of <paramref name="alignment"/> units (chosen so that no two threads write one cache line).</summary>
    public virtual void Ranges(RangeKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, int units, int unitFloats, int alignment) =>
        kernel(path, x, a, y, 0, units);

    /// <summary>The depthwise convolution of one image.</summary>
    public virtual void Depthwise(DepthwiseStage stage, ReadOnlySpan<float> image, FusedActivation activation, Span<float> output) =>
        DepthwiseRows(stage, image, activation, output, 0, stage.OutputRows);

    /// <summary>Output rows <paramref name="firstRow"/> up to <paramref name="endRow"/> of <see cref="Depthwise"/>; the
    /// scalar oracle on <see cref="KernelPath.Scalar"/>.</summary>
    protected void DepthwiseRows(DepthwiseStage stage, ReadOnlySpan<float> image, FusedActivation activation, Span<float> output, int firstRow, int endRow)
    {
        (DepthwiseConv2dLayer layer, TensorShape input) = (stage.Layer, stage.Input);
        if (path == KernelPath.Scalar)
            DepthwiseConvKernel.Reference(image, input[0], input[1], input[2], layer.Filters.Span, layer.Bias.Span, layer.Geometry, activation,
                output, firstRow, endRow);
        else
            DepthwiseConvKernel.RunValidated(image, input[0], input[1], input[2], layer.Filters.Span, layer.Bias.Span, layer.Geometry, activation,
                output, firstRow, endRow);
    }
}
