using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>ONNX's pooling nodes read as the runtime's pooling layers: MaxPool → MaxPool2d, AveragePool → AvgPool2d,
/// GlobalAveragePool → an AvgPool2d whose window is the whole image. The runtime's windows are square and never padded,
/// so a node that needs another window is refused.</summary>
internal static class PoolingNodes
{
    /// <summary>Whether <paramref name="op"/> is a pooling operator this import reads.</summary>
    public static bool Reads(string op) => op is "MaxPool" or "AveragePool" or "GlobalAveragePool";

    /// <summary>The layer for the pooling node <paramref name="op"/> over a channels-first image of runtime shape
    /// <paramref name="image"/> (h, w, c).</summary>
    public static PoolLayer Read(string op, NodeAttributes a, TensorShape image) => op switch
    {
        "MaxPool" => MaxPool(a),
        "AveragePool" => AveragePool(a),
        "GlobalAveragePool" => GlobalAveragePool(a, image),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a pooling operator."),
    };

    private static MaxPool2dLayer MaxPool(NodeAttributes a)
    {
        a.AllowOnly("kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order");
        ConvolutionGeometry window = Window(a, "padded pooling is not supported.");
        a.Require(a.Int("storage_order", 0) == 0, "storage_order 1 is not supported.");
        return new MaxPool2dLayer(window.KernelSize, window.Stride);
    }

    private static AvgPool2dLayer AveragePool(NodeAttributes a)
    {
        // count_include_pad says whether a padded window's mean counts the padding; without pads, the only form read,
        // every window averages k·k values either way.
        a.AllowOnly("kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "count_include_pad");
        ConvolutionGeometry window = Window(a, "padded average pooling is not supported: the runtime never pads a window, and the mean "
            + "over a padded one depends on count_include_pad; pool without padding.");
        return new AvgPool2dLayer(window.KernelSize, window.Stride);
    }

    /// <summary>The mean of each channel: a window as large as the image, which must be square.</summary>
    private static AvgPool2dLayer GlobalAveragePool(NodeAttributes a, TensorShape image)
    {
        a.AllowOnly();
        int height = image[0], width = image[1];
        a.Require(height == width, $"GlobalAveragePool over a {height}×{width} image (height × width): the runtime's windows are square, "
            + "so only a square image's mean is supported; make the image square before it.");
        var window = new ConvolutionGeometry(height, height);
        a.RequireValid(window);
        return new AvgPool2dLayer(window.KernelSize, window.Stride);
    }

    /// <summary>A pooling node's square window and stride, refusing what the runtime's windows are not (padded, with
    /// <paramref name="padded"/> as the reason; ceil mode; dilated).</summary>
    private static ConvolutionGeometry Window(NodeAttributes a, string padded)
    {
        long[] kernel = a.Ints("kernel_shape", 2) ?? [];
        a.Require(kernel.Length == 2 && kernel[0] == kernel[1] && kernel[0] is > 0 and <= int.MaxValue, "expected a square kernel_shape of two positive values.");
        a.Require(a.Ints("pads", 4)?.All(p => p == 0) ?? true, padded);
        a.Require(a.String("auto_pad", "NOTSET") is "NOTSET" or "VALID", "auto_pad SAME is not supported.");
        a.Require(a.Int("ceil_mode", 0) == 0, "ceil_mode 1 is not supported.");
        a.Require(a.Ints("dilations", 2)?.All(d => d == 1) ?? true, "dilated pooling is not supported.");
        var geometry = new ConvolutionGeometry((int)kernel[0], a.SquareStride());
        a.RequireValid(geometry);
        return geometry;
    }
}
