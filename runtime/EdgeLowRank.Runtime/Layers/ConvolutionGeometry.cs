namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// The window of a convolution or pooling layer: a square kernel, a stride and zero padding on each side
/// (<see cref="WindowPadding"/>). Images are channels-last (height × width × channels).
/// </summary>
public readonly record struct ConvolutionGeometry
{
    /// <summary>A window padded alike on every side.</summary>
    /// <param name="kernelSize">The side of the square window, at least 1.</param>
    /// <param name="stride">The step between windows, at least 1.</param>
    /// <param name="padding">Zero rows and columns added on each side, 0 to <paramref name="kernelSize"/> − 1.</param>
    public ConvolutionGeometry(int kernelSize, int stride = 1, int padding = 0) : this(kernelSize, stride, WindowPadding.Even(padding)) { }

    /// <summary>A window padded side by side.</summary>
    /// <param name="kernelSize">The side of the square window, at least 1.</param>
    /// <param name="stride">The step between windows, at least 1.</param>
    /// <param name="pads">Zero rows and columns added on each side, each 0 to <paramref name="kernelSize"/> − 1.</param>
    public ConvolutionGeometry(int kernelSize, int stride, WindowPadding pads) => (KernelSize, Stride, Pads) = (kernelSize, stride, pads);

    /// <summary>The side of the square window.</summary>
    public int KernelSize { get; init; }

    /// <summary>The step between windows, down and across.</summary>
    public int Stride { get; init; }

    /// <summary>The zero rows and columns added on each side.</summary>
    public WindowPadding Pads { get; init; }

    /// <summary>The largest kernel size, pool size and stride, here and in the file format: far beyond
    /// what small-image models use, and low enough that k·k·c_in patch sizes stay easy to bound.</summary>
    internal const int MaxWindow = 64;

    /// <summary>Throws unless the numbers make a window.</summary>
    internal void Validate()
    {
        if (KernelSize < 1 || KernelSize > MaxWindow) throw new ArgumentException($"The kernel size must be 1 to {MaxWindow}, not {KernelSize}.");
        if (Stride < 1 || Stride > MaxWindow) throw new ArgumentException($"The stride must be 1 to {MaxWindow}, not {Stride}.");
        WindowPadding p = Pads;
        if (Math.Min(Math.Min(p.Top, p.Left), Math.Min(p.Bottom, p.Right)) < 0 || Math.Max(Math.Max(p.Top, p.Left), Math.Max(p.Bottom, p.Right)) >= KernelSize)
            throw new ArgumentException($"The padding must be 0 to {KernelSize - 1} on each side for a kernel of {KernelSize}, not {p}.");
    }

    /// <summary>The output height for an input height: ⌊(height + top + bottom − kernel) / stride⌋ + 1.</summary>
    /// <exception cref="ArgumentException">The window does not fit the input.</exception>
    internal int OutputHeight(int height) => OutputSide(height, Pads.Height, "height");

    /// <summary>The output width for an input width: ⌊(width + left + right − kernel) / stride⌋ + 1.</summary>
    /// <exception cref="ArgumentException">The window does not fit the input.</exception>
    internal int OutputWidth(int width) => OutputSide(width, Pads.Width, "width");

    private int OutputSide(int side, int padded, string name)
    {
        long span = (long)side + padded - KernelSize; // long: an image side near 2^31 must not wrap
        if (span < 0) throw new ArgumentException($"A {KernelSize}×{KernelSize} window (padding {Pads}) does not fit an input of {name} {side}.");
        return (int)(span / Stride + 1);
    }

    /// <summary>The output image shape for a channels-last input with <paramref name="outputChannels"/> channels out.</summary>
    internal TensorShape OutputShape(TensorShape input, int outputChannels) =>
        new(OutputHeight(input[0]), OutputWidth(input[1]), outputChannels);

    /// <summary>The same window without padding, for an image already bordered by <see cref="Pads"/>.</summary>
    internal ConvolutionGeometry Unpadded => this with { Pads = default };
}
