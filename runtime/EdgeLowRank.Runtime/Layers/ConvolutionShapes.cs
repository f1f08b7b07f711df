namespace EdgeLowRank.Runtime.Layers;

/// <summary>Shape checks shared by the image layers.</summary>
internal static class ConvolutionShapes
{
    /// <summary>Throws unless the window is valid, there is at least one input channel, and a weight matrix of
    /// <paramref name="rows"/> rows has one row per patch element, k·k·c_in.</summary>
    /// <param name="geometry">The window, checked with <see cref="ConvolutionGeometry.Validate"/>.</param>
    /// <param name="inputChannels">c_in, at least 1.</param>
    /// <param name="rows">The rows of the matrix applied to the patches.</param>
    /// <param name="rowsName">How messages name those rows ("weight rows").</param>
    public static void RequirePatchRows(ConvolutionGeometry geometry, int inputChannels, int rows, string rowsName)
    {
        geometry.Validate();
        if (inputChannels < 1) throw new ArgumentException($"A convolution needs at least one input channel, not {inputChannels}.");
        long patch = (long)geometry.KernelSize * geometry.KernelSize * inputChannels;
        if (rows != patch)
            throw new ArgumentException($"A {geometry.KernelSize}×{geometry.KernelSize} convolution over {inputChannels} channels needs {patch} {rowsName}, not {rows}.");
    }

    /// <summary>The output image of a convolution layer, after checking <paramref name="input"/> is an image with <paramref name="inputChannels"/> channels.</summary>
    /// <exception cref="ArgumentException">The input is not such an image, or the window does not fit it.</exception>
    public static TensorShape ConvolutionOutput(LayerKind kind, TensorShape input, int inputChannels, ConvolutionGeometry geometry, int outputChannels)
    {
        RequireImage(kind, input, inputChannels);
        return geometry.OutputShape(input, outputChannels);
    }

    /// <summary>Throws unless <paramref name="input"/> is height × width × channels (with the given channel count, if any).</summary>
    public static void RequireImage(LayerKind kind, TensorShape input, int? channels)
    {
        if (input.Rank != 3)
            throw new ArgumentException($"{kind} expects an image (height×width×channels) but receives {input}.");
        if (channels is int c && input[2] != c)
            throw new ArgumentException($"{kind} expects {c} input channels but receives {input[2]} ({input}).");
    }

    /// <summary>height × width of an image shape.</summary>
    public static long Pixels(TensorShape image) => (long)image[0] * image[1];
}
