using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>ONNX's pooling nodes read as the runtime's pooling layers: MaxPool → MaxPool2d, padded or not (format 1.7:
/// the padding counts as −∞, as in ONNX; each side its own since 1.13, which SAME over any side and ceil mode need),
/// AveragePool → AvgPool2d without padding, GlobalAveragePool → an AvgPool2d whose window is the whole image, and so is a
/// ReduceMean over the height and width (PyTorch's x.mean([2, 3]), ShuffleNet v2's last pooling). The runtime's windows
/// are square and never dilated, so a node that needs another window is refused.</summary>
internal static class PoolingNodes
{
    /// <summary>Whether <paramref name="op"/> is a pooling operator this import reads.</summary>
    public static bool Reads(string op) => op is "MaxPool" or "AveragePool" or "GlobalAveragePool";

    /// <summary>The layers for the pooling node <paramref name="op"/> over a channels-first image of runtime shape
    /// <paramref name="image"/> (h, w, c): one, or two for the mean of an image larger than a window (<see cref="Mean"/>).</summary>
    public static IReadOnlyList<PoolLayer> Read(string op, NodeAttributes a, TensorShape image) => op switch
    {
        "MaxPool" => [MaxPool(a, image)],
        "AveragePool" => [AveragePool(a, image)],
        "GlobalAveragePool" => GlobalAveragePool(a, image),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a pooling operator."),
    };

    private static MaxPool2dLayer MaxPool(NodeAttributes a, TensorShape image)
    {
        // storage_order only orders the indices of MaxPool's second output, which the import refuses to use.
        a.AllowOnly("kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order");
        (int k, int stride) = KernelAndStride(a);
        WindowPads sides = a.Sides(k, stride, image);
        RequireWindow(a, new ConvolutionGeometry(k, stride, sides.ToRuntime()));
        // Ceil mode's last window, where floor mode leaves pixels over, is a floor-mode window over more padding after the
        // image: the padding is −∞, which never wins, and the window starts inside the image or the padding before it, so
        // it holds a pixel (and hangs over the end by less than the kernel).
        if (a.Int("ceil_mode", 0) != 0)
            sides = sides with { Bottom = CeilEnd(image[0], sides.Top, sides.Bottom, k, stride), Right = CeilEnd(image[1], sides.Left, sides.Right, k, stride) };
        return new MaxPool2dLayer(k, stride, sides.ToRuntime());
    }

    private static AvgPool2dLayer AveragePool(NodeAttributes a, TensorShape image)
    {
        // count_include_pad says whether a padded window's mean counts the padding; without pads, the only form read,
        // every window averages k·k values either way.
        a.AllowOnly("kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "count_include_pad");
        (int k, int stride) = KernelAndStride(a);
        a.Require(a.String("auto_pad", "NOTSET") is "NOTSET" or "VALID" && (a.Ints("pads", 4)?.All(p => p == 0) ?? true),
            "padded average pooling is not supported: the runtime's average pooling never pads a window (only its max pooling does), and the "
            + "mean over a padded one depends on count_include_pad (whether the padding counts as zeros or not at all); pool without padding.");
        RequireWindow(a, new ConvolutionGeometry(k, stride));
        // Ceil mode differs from the runtime's floor only by a last window, which it adds where floor mode leaves pixels
        // over; where the two counts agree (3×3 windows moved by 2 over 27 pixels) the windows are the same. A last, partial
        // window would average fewer pixels, which no window of the runtime's average pooling does.
        int height = image[0], width = image[1];
        long Count(int side, bool ceil) => Windows(side, 0, 0, k, stride, ceil);
        a.Require(a.Int("ceil_mode", 0) == 0 || Count(height, true) == Count(height, false) && Count(width, true) == Count(width, false),
            $"ceil_mode 1 is not supported here: over the {height}×{width} image (height × width) it gives {Count(height, true)}×{Count(width, true)} windows, "
            + $"with last, partial ones that the runtime's floor mode leaves out ({Count(height, false)}×{Count(width, false)}); export with ceil_mode 0 "
            + "(PyTorch's ceil_mode=False), or give the image a size whose windows fit exactly.");
        return new AvgPool2dLayer(k, stride);
    }

    /// <summary>The layer for a ReduceMean of a channels-first image of runtime shape <paramref name="image"/> along
    /// <paramref name="axes"/> (the attribute's, or opset 18's input; null when neither is given): the mean of each channel,
    /// and whether the node keeps the two dimensions of one pixel (keepdims 1) or drops them (0: a flatten follows).
    /// No axes with noop_with_empty_axes 1 (opset 18) is nothing: no pools, the dimensions kept.</summary>
    /// <exception cref="OnnxImportException">A mean along other axes than the height and width, or along every axis.</exception>
    public static (IReadOnlyList<AvgPool2dLayer> Pools, bool KeepsDims) ReduceMean(NodeAttributes a, long[]? axes, TensorShape image)
    {
        a.AllowOnly("axes", "keepdims", "noop_with_empty_axes");
        if (axes is null or [])
        {
            a.Require(a.Int("noop_with_empty_axes", 0) != 0, "it gives no axes, so it averages every axis, the batch and the channels too, to one "
                + "number; the runtime averages each channel over the image (an average pooling): give axes 2 and 3 (x.mean([2, 3])).");
            return ([], true);
        }
        long[] spatial = axes.Select(x => x < 0 ? x + 4 : x).Order().ToArray();
        a.Require(spatial is [2, 3], $"it averages a batch × C × H × W image along axes [{string.Join(", ", axes)}]; the runtime averages each "
            + "channel over the image (an average pooling): axes 2 and 3 (x.mean([2, 3])) only.");
        return (Mean(a, image), a.Int("keepdims", 1) != 0);
    }

    /// <summary>The mean of each channel: a window as large as the image, which must be square.</summary>
    private static IReadOnlyList<AvgPool2dLayer> GlobalAveragePool(NodeAttributes a, TensorShape image)
    {
        a.AllowOnly();
        return Mean(a, image);
    }

    /// <summary>The mean of each channel of a square image: one window as large as the image, or, where the image is larger
    /// than the runtime's (and the file format's) largest window, <see cref="ConvolutionGeometry.MaxWindow"/> (EfficientNet-B0's
    /// first squeeze-and-excitation averages 112×112 pixels), the means of f×f blocks and then the mean of those: the same
    /// mean, summed in another order.</summary>
    private static IReadOnlyList<AvgPool2dLayer> Mean(NodeAttributes a, TensorShape image)
    {
        int height = image[0], width = image[1];
        a.Require(height == width, $"GlobalAveragePool over a {height}×{width} image (height × width): the runtime's windows are square, "
            + "so only a square image's mean is supported; make the image square before it.");
        const int most = ConvolutionGeometry.MaxWindow;
        int block = Enumerable.Range(1, most).FirstOrDefault(f => height % f == 0 && height / f <= most);
        a.Require(block > 0, $"a mean over a {height}×{height} image: the runtime's windows are at most {most} pixels wide, and {height} is no product "
            + $"of two sides of at most {most} (the mean of blocks' means); pool the image to a smaller side first.");
        int rest = height / block;
        return block == 1 ? [new AvgPool2dLayer(rest, rest)] : [new AvgPool2dLayer(block, block), new AvgPool2dLayer(rest, rest)];
    }

    /// <summary>A pooling node's square kernel_shape and its stride, the same on both axes.</summary>
    private static (int Kernel, int Stride) KernelAndStride(NodeAttributes a)
    {
        long[] kernel = a.Ints("kernel_shape", 2) ?? [];
        a.Require(kernel.Length == 2 && kernel[0] == kernel[1] && kernel[0] is > 0 and <= int.MaxValue, "expected a square kernel_shape of two positive values.");
        return ((int)kernel[0], a.SquareStride());
    }

    /// <summary>Refuses what the runtime's windows are not: dilated, or beyond its limits (a padding as large as the kernel).</summary>
    private static void RequireWindow(NodeAttributes a, ConvolutionGeometry window)
    {
        a.Require(a.Ints("dilations", 2)?.All(d => d == 1) ?? true, "dilated pooling is not supported.");
        a.RequireValid(window);
    }

    /// <summary>The padding after a side of <paramref name="side"/> pixels (padded by <paramref name="before"/> and
    /// <paramref name="after"/>) under which floor mode slides as many windows as ceil mode: <paramref name="after"/> where
    /// the counts agree, else as much as ceil mode's last window hangs over the end.</summary>
    internal static long CeilEnd(long side, long before, long after, int k, int stride)
    {
        if (side + before + after < k) return after;   // no window fits, which the layer refuses
        long windows = Windows(side, before, after, k, stride, ceil: true);
        return windows > Windows(side, before, after, k, stride, ceil: false) ? (windows - 1) * stride + k - side - before : after;
    }

    /// <summary>How many windows ONNX's pooling slides along a side of <paramref name="side"/> pixels padded by
    /// <paramref name="before"/> and <paramref name="after"/>: ⌊span / stride⌋ + 1, or ⌈span / stride⌉ + 1 in ceil mode, the
    /// span being the side plus the padding less a window; in ceil mode, as in ONNX and PyTorch, less a last window that
    /// would start in the padding after the image.</summary>
    internal static long Windows(long side, long before, long after, int k, int stride, bool ceil)
    {
        long span = side + before + after - k;
        long windows = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        return ceil && (windows - 1) * stride >= side + before ? windows - 1 : windows;
    }
}
