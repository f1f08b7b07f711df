using System.Numerics.Tensors;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A depthwise convolution over channels-last images: each channel convolved with its own k×k filter (the runtime's
/// <see cref="DepthwiseConv2dLayer"/>, MobileNet's depthwise step). The forward pass is the runtime's
/// <see cref="DepthwiseConvKernel"/>, image by image, so training computes what inference will (to rounding below
/// <c>Vector&lt;float&gt;.Count</c> channels, where a session runs the equivalent dense convolution); the backward pass is
/// <see cref="DepthwiseConvBackward"/>. It is not a <see cref="WeightedLayer"/>: its k·k·c filter weights are no matrix
/// to factorize, so the compression step never takes it; the L steps and the fine-tune train it like any parameter,
/// and it stays dense.
/// </summary>
public sealed class DepthwiseConv2d : TrainingLayer
{
    private TensorShape _input;
    private TensorShape _output;

    /// <summary>Per image, its filter gradient then its bias gradient: the images of a batch run on any thread, and adding
    /// their gradients afterwards in image order keeps the sum independent of the thread count.</summary>
    private float[] _imageGradients = [];

    /// <summary>Creates the layer with zero parameters (a <see cref="Network"/> initializes them).</summary>
    /// <param name="name">A short name for reports, e.g. "dw1".</param>
    /// <param name="channels">c, in and out.</param>
    /// <param name="geometry">Kernel, stride and zero padding.</param>
    /// <param name="hasBias">Whether each channel has a bias.</param>
    /// <exception cref="ArgumentException">The window is invalid.</exception>
    public DepthwiseConv2d(string name, int channels, ConvolutionGeometry geometry, bool hasBias = true)
    {
        geometry.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Name = name;
        Geometry = geometry;
        Filters = new Parameter($"{name}.weight", checked(geometry.KernelSize * geometry.KernelSize), channels, decays: true);
        Bias = hasBias ? new Parameter($"{name}.bias", channels, 1, decays: false) : null;
    }

    /// <summary>A shard replica of <paramref name="primary"/> (see <see cref="TrainingLayer.Replicate"/>).</summary>
    private DepthwiseConv2d(DepthwiseConv2d primary)
    {
        Name = primary.Name;
        Geometry = primary.Geometry;
        Filters = new Parameter(primary.Filters);
        Bias = primary.Bias is null ? null : new Parameter(primary.Bias);
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Kernel, stride and padding.</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <summary>The (k·k) × c tap-major filter table of <see cref="DepthwiseConv2dLayer.Filters"/>: the weight of tap (ky, kx)
    /// for channel ch at (ky·k + kx)·c + ch.</summary>
    public Parameter Filters { get; }

    /// <summary>One per channel (c × 1), or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>c, in and out.</summary>
    public int Channels => Filters.Columns;

    /// <summary>k·k: each output's fan-in.</summary>
    public int Taps => Filters.Rows;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => Bias is null ? [Filters] : [Filters, Bias];

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        if (input.Rank != 3 || input[2] != Channels)
            throw new ArgumentException($"{Name} expects an image with {Channels} channels (height×width×{Channels}) but receives {input}.");
        _output = Geometry.OutputShape(input, Channels);
        _input = input;
        _imageGradients = new float[checked(maxBatch * ImageGradientLength)];
        return _output;
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int inLength = _input.ElementCount, outLength = _output.ElementCount;
        float[] bias = Bias?.Value ?? [];
        threads.ForItems(batch, (_, b) => DepthwiseConvKernel.Run(input.AsSpan(b * inLength, inLength), _input[0], _input[1], Channels,
            Filters.Value, bias, Geometry, Activation.None, output.AsSpan(b * outLength, outLength)));
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        int inLength = _input.ElementCount, outLength = _output.ElementCount, perImage = ImageGradientLength;
        int filterLength = Filters.Length, biasLength = Bias is null ? 0 : Channels;
        threads.ForItems(batch, (_, b) =>
        {
            Span<float> gradients = _imageGradients.AsSpan(b * perImage, perImage);
            DepthwiseConvBackward.Run(input.AsSpan(b * inLength, inLength), _input[0], _input[1], Channels, Filters.Value, Geometry,
                outputGradient.AsSpan(b * outLength, outLength), gradients[..filterLength], gradients.Slice(filterLength, biasLength),
                inputGradient is null ? [] : inputGradient.AsSpan(b * inLength, inLength));
        });
        Filters.Gradient.AsSpan().Clear();
        if (Bias is not null) Bias.Gradient.AsSpan().Clear();
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> gradients = _imageGradients.AsSpan(b * perImage, perImage);
            TensorPrimitives.Add(Filters.Gradient, gradients[..filterLength], Filters.Gradient);
            if (Bias is not null) TensorPrimitives.Add(Bias.Gradient, gradients.Slice(filterLength, biasLength), Bias.Gradient);
        }
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new DepthwiseConv2d(this);

    /// <inheritdoc/>
    internal override long ScratchFloatsPerSample => ImageGradientLength;

    /// <summary>PyTorch's default for a convolution with groups = c: the fan-in of one output is one channel's k·k taps.</summary>
    internal override void Initialize(SeededRandom random)
    {
        KaimingUniform.Fill(Filters, Taps, random);
        if (Bias is not null) KaimingUniform.Fill(Bias, Taps, random);
    }

    /// <summary>Floats of one image's gradients in <see cref="_imageGradients"/>: the filters' and the bias's.</summary>
    private int ImageGradientLength => Filters.Length + (Bias is null ? 0 : Channels);
}
