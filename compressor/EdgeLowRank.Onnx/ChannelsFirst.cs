using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// Between the runtime's channels-last images and ONNX's channels-first ones. The runtime keeps an image (h, w, c) and a
/// convolution's weights as a (k·k·c_in) × c_out matrix with row (ky·k + kx)·c_in + ci; ONNX keeps images N×C×H×W and
/// kernels c_out × c_in × k × k. A flattened image lies in (c, h, w) order in ONNX and (h, w, c) in the runtime, so the
/// matrix layer after a flatten takes its rows in the other order. Each mapping has its inverse here, for export and import.
/// </summary>
public static class ChannelsFirst
{
    /// <summary>Whether <paramref name="shape"/> is an image (h, w, c).</summary>
    public static bool IsImage(TensorShape shape) => shape.Rank == 3;

    /// <summary>One sample's shape as ONNX takes it: an image (h, w, c) as (c, h, w), a vector as it is.</summary>
    public static int[] OnnxShape(TensorShape shape) => IsImage(shape) ? [shape[2], shape[0], shape[1]] : shape.Dimensions.ToArray();

    /// <summary>Copies a batch of runtime samples of <paramref name="shape"/> into ONNX's layout (images channels-first).</summary>
    public static void ToOnnxLayout(ReadOnlySpan<float> samples, TensorShape shape, Span<float> destination) =>
        CopyReordered(samples, shape, destination, toOnnx: true);

    /// <summary>The inverse of <see cref="ToOnnxLayout"/>: a batch of samples in ONNX's layout (images channels-first, as
    /// PyTorch keeps them) copied into the runtime's (images channels-last).</summary>
    public static void FromOnnxLayout(ReadOnlySpan<float> samples, TensorShape shape, Span<float> destination) =>
        CopyReordered(samples, shape, destination, toOnnx: false);

    /// <summary>For an image (h, w, c) flattened channels-first, the channels-last index of each element.</summary>
    public static int[] FlattenOrder(TensorShape image)
    {
        int height = image[0], width = image[1], channels = image[2];
        var order = new int[image.ElementCount];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    order[(c * height + y) * width + x] = (y * width + x) * channels + c;
        return order;
    }

    /// <summary>Row-major rows of <paramref name="columns"/> elements, reordered so that row j of the result is row
    /// <c>order[j]</c> of <paramref name="rows"/> (export: the runtime's rows in ONNX's order).</summary>
    public static T[] RowsInOnnxOrder<T>(T[] rows, int columns, int[] order)
    {
        var reordered = new T[rows.Length];
        for (int j = 0; j < order.Length; j++)
            rows.AsSpan(order[j] * columns, columns).CopyTo(reordered.AsSpan(j * columns));
        return reordered;
    }

    /// <summary>The inverse of <see cref="RowsInOnnxOrder"/>: row j of <paramref name="rows"/> becomes row <c>order[j]</c>
    /// (import: ONNX's rows in the runtime's order).</summary>
    public static T[] RowsInRuntimeOrder<T>(ReadOnlySpan<T> rows, int columns, int[] order)
    {
        var reordered = new T[rows.Length];
        for (int j = 0; j < order.Length; j++)
            rows.Slice(j * columns, columns).CopyTo(reordered.AsSpan(order[j] * columns));
        return reordered;
    }

    /// <summary>Runtime convolution weights, (k·k·c_in) × c_out row-major, as an ONNX kernel c_out × c_in × k × k.</summary>
    public static T[] KernelToOnnx<T>(T[] rows, int inputChannels, int kernelSize, int outputChannels)
    {
        var kernel = new T[rows.Length];
        ForEachKernelElement(inputChannels, kernelSize, outputChannels, (onnx, runtime) => kernel[onnx] = rows[runtime]);
        return kernel;
    }

    /// <summary>An ONNX kernel c_out × c_in × k × k as runtime convolution weights, (k·k·c_in) × c_out row-major.</summary>
    public static T[] KernelFromOnnx<T>(T[] kernel, int inputChannels, int kernelSize, int outputChannels)
    {
        var rows = new T[kernel.Length];
        ForEachKernelElement(inputChannels, kernelSize, outputChannels, (onnx, runtime) => rows[runtime] = kernel[onnx]);
        return rows;
    }

    /// <summary>Depthwise filters, the runtime's (k·k) × c tap-major table, as an ONNX kernel c × 1 × k × k: the table
    /// transposed, since ONNX keeps each channel's k·k taps together and the runtime each tap's c channels.</summary>
    public static float[] DepthwiseFiltersToOnnx(ReadOnlySpan<float> filters, int channels) =>
        WeightTensor.Transposed(filters.ToArray(), filters.Length / channels, channels);

    /// <summary>The inverse of <see cref="DepthwiseFiltersToOnnx"/>: an ONNX kernel c × 1 × k × k as the (k·k) × c table.</summary>
    public static float[] DepthwiseFiltersFromOnnx(float[] kernel, int channels) =>
        WeightTensor.Transposed(kernel, channels, kernel.Length / channels);

    private static void CopyReordered(ReadOnlySpan<float> samples, TensorShape shape, Span<float> destination, bool toOnnx)
    {
        if (!IsImage(shape))
        {
            samples.CopyTo(destination);
            return;
        }
        int[] order = FlattenOrder(shape);
        for (int start = 0; start < samples.Length; start += order.Length)
            for (int j = 0; j < order.Length; j++)
                if (toOnnx) destination[start + j] = samples[start + order[j]];
                else destination[start + order[j]] = samples[start + j];
    }

    private static void ForEachKernelElement(int inputChannels, int k, int outputChannels, Action<int, int> visit)
    {
        for (int co = 0; co < outputChannels; co++)
            for (int ci = 0; ci < inputChannels; ci++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        visit(((co * inputChannels + ci) * k + ky) * k + kx, ((ky * k + kx) * inputChannels + ci) * outputChannels + co);
    }
}
