namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A depthwise convolution over a channels-last image: each channel convolved with its own k×k filter, so the output has
/// the input's channels (a depth multiplier of 1: ONNX's Conv with group = c_in = c_out, PyTorch's
/// <c>Conv2d(c, c, k, groups=c)</c>, MobileNet's depthwise step). The filters are a (k·k) × c row-major table whose row
/// is the tap ky·k + kx and whose column is the channel, so one tap's weights for a vector of channels lie side by side,
/// like the channels of an image pixel. It has no weight matrix to factorize (k·k·c weights, next to c_in·c_out for a full
/// convolution); the compressor keeps it dense and factorizes the 1×1 convolutions around it.
/// </summary>
public sealed class DepthwiseConv2dLayer : Layer
{
    /// <summary>Creates the layer; <paramref name="bias"/> may be empty.</summary>
    /// <param name="filters">k·k·c floats, tap-major: the weight of tap (ky, kx) for channel ch at (ky·k + kx)·c + ch.</param>
    /// <param name="bias">One per channel, or empty.</param>
    /// <param name="channels">c, at least 1.</param>
    /// <param name="geometry">Kernel, stride and zero padding.</param>
    /// <param name="activation">The fused activation.</param>
    /// <exception cref="ArgumentException">The window is invalid, or the filters or bias do not match <paramref name="channels"/>.</exception>
    internal DepthwiseConv2dLayer(ReadOnlyMemory<float> filters, ReadOnlyMemory<float> bias, int channels, ConvolutionGeometry geometry,
        Activation activation = Activation.None)
    {
        geometry.Validate();
        if (channels < 1) throw new ArgumentException($"A depthwise convolution needs at least one channel, not {channels}.", nameof(channels));
        long expected = (long)geometry.KernelSize * geometry.KernelSize * channels;
        if (filters.Length != expected)
            throw new ArgumentException($"A {geometry.KernelSize}×{geometry.KernelSize} depthwise convolution over {channels} channels needs {expected} filter weights (k·k·c), not {filters.Length}.", nameof(filters));
        RequireBias(bias, channels);
        Filters = filters;
        Bias = bias;
        Channels = channels;
        Geometry = geometry;
        Activation = activation;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.DepthwiseConv2d;

    /// <summary>(k·k) × c, tap-major.</summary>
    public ReadOnlyMemory<float> Filters { get; }

    /// <summary>One per channel, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <summary>c, in and out.</summary>
    public int Channels { get; }

    /// <summary>Kernel, stride and padding.</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <summary>Filter taps, k·k: the rows of <see cref="Filters"/>.</summary>
    public int Taps => Geometry.KernelSize * Geometry.KernelSize;

    /// <summary>The fused activation.</summary>
    public override Activation Activation { get; }

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) =>
        ConvolutionShapes.ConvolutionOutput(Kind, input, Channels, Geometry, Channels);

    /// <inheritdoc/>
    public override long ParameterCount => Filters.Length + (long)Bias.Length;

    /// <summary>The (k·k·c) × c weight matrix of the dense <see cref="Conv2dLayer"/> that computes the same convolution: row
    /// tap·c + ci, column co holds the filter weight when ci = co, else 0.</summary>
    internal PackedMatrix ToDenseWeights()
    {
        ReadOnlySpan<float> filters = Filters.Span;
        var weights = new float[Taps * Channels * Channels];
        for (int tap = 0; tap < Taps; tap++)
            for (int c = 0; c < Channels; c++)
                weights[(tap * Channels + c) * Channels + c] = filters[tap * Channels + c];
        return PackedMatrix.FromRowMajor(weights, Taps * Channels, Channels);
    }

    /// <inheritdoc/>
    public override long MultiplyAccumulates(TensorShape input) =>
        ConvolutionShapes.Pixels(GetOutputShape(input)) * Filters.Length;
}
