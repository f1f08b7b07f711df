namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// The window of a convolution or pooling layer: a square kernel, a stride and zero padding on every
/// side. Images are channels-last (height × width × channels).
/// </summary>
/// <param name="KernelSize">The side of the square window, at least 1.</param>
/// <param name="Stride">The step between windows, at least 1.</param>
/// <param name="Padding">Zero rows and columns added on each side, at least 0.</param>
public readonly record struct ConvolutionGeometry(int KernelSize, int Stride = 1, int Padding = 0)
{
    /// <summary>The largest kernel size, pool size and stride, here and in the file format: far beyond
    /// what small-image models use, and low enough that k·k·c_in patch sizes stay easy to bound.</summary>
    internal const int MaxWindow = 64;

    /// <summary>Throws unless the numbers make a window.</summary>
    internal void Validate()
    {
        if (KernelSize < 1 || KernelSize > MaxWindow) throw new ArgumentException($"The kernel size must be 1 to {MaxWindow}, not {KernelSize}.");
        if (Stride < 1 || Stride > MaxWindow) throw new ArgumentException($"The stride must be 1 to {MaxWindow}, not {Stride}.");
        if (Padding < 0 || Padding >= KernelSize) throw new ArgumentException($"The padding must be 0 to {KernelSize - 1} for a kernel of {KernelSize}, not {Padding}.");
    }

    /// <summary>The output side for an input side: ⌊(input + 2·padding − kernel) / stride⌋ + 1.</summary>
    /// <exception cref="ArgumentException">The window does not fit the input.</exception>
    internal int OutputSize(int inputSize)
    {
        long span = (long)inputSize + 2L * Padding - KernelSize; // long: an image side near 2^31 must not wrap
        if (span < 0) throw new ArgumentException($"A {KernelSize}×{KernelSize} window (padding {Padding}) does not fit an input of side {inputSize}.");
        return (int)(span / Stride + 1);
    }

    /// <summary>The output image shape for a channels-last input with <paramref name="outputChannels"/> channels out.</summary>
    internal TensorShape OutputShape(TensorShape input, int outputChannels) =>
        new(OutputSize(input[0]), OutputSize(input[1]), outputChannels);
}
