using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A 2-D convolution over channels-last images, trained as im2col (the runtime's <see cref="Im2Col"/>)
/// followed by the runtime's GEMM. <see cref="WeightedLayer.Weight"/> is c_out × (k·k·c_in): the c_out × c_in·k·k
/// matrix the compression step factorizes, with its columns in the channels-last patch order
/// (ky·k + kx)·c_in + ci that the runtime's <see cref="Conv2dLayer"/> uses. That order is a
/// permutation of PyTorch's (ci·k·k + ky·k + kx), which changes neither ranks nor factorizations.
/// A convolution without a bias is the first factor of a factorized convolution; a 1×1 one the second.
/// </summary>
public sealed class Conv2d : WeightedLayer
{
    private TensorShape _input;
    private int _outputPixels;
    private float[] _patches = [];

    /// <summary>Creates the layer with zero parameters (a <see cref="Network"/> initializes them).</summary>
    public Conv2d(string name, int inputChannels, int outputChannels, ConvolutionGeometry geometry, bool hasBias = true)
        : base(name, checked(geometry.KernelSize * geometry.KernelSize * inputChannels), outputChannels, hasBias)
    {
        geometry.Validate();
        InputChannels = inputChannels;
        Geometry = geometry;
    }

    private Conv2d(Conv2d primary)
        : base(primary)
    {
        InputChannels = primary.InputChannels;
        Geometry = primary.Geometry;
    }

    /// <summary>c_in.</summary>
    public int InputChannels { get; }

    /// <summary>c_out.</summary>
    public int OutputChannels => Weight.Rows;

    /// <summary>Kernel, stride and padding.</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <summary>k·k·c_in: the fan-in, and the columns of <see cref="WeightedLayer.Weight"/>.</summary>
    public int PatchLength => FanIn;

    /// <summary>A 1×1 convolution with stride 1 reads the channels-last batch as its patch matrix directly.</summary>
    private bool IsPointwise => Geometry is { KernelSize: 1, Stride: 1, Pads.IsZero: true };

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        if (input.Rank != 3 || input[2] != InputChannels)
            throw new ArgumentException($"{Name} expects an image with {InputChannels} channels (height×width×{InputChannels}) but receives {input}.");
        TensorShape output = Geometry.OutputShape(input, OutputChannels);
        _input = input;
        _outputPixels = output[0] * output[1];
        int maxRows = checked(maxBatch * _outputPixels);
        _patches = IsPointwise ? [] : new float[checked(maxRows * PatchLength)];
        Products.Reserve(maxRows);
        return output;
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        float[] patches = IsPointwise ? input : _patches;
        if (!IsPointwise)
        {
            int imageLength = _input.ElementCount, patchFloats = _outputPixels * PatchLength;
            threads.ForItems(batch, (_, b) => Im2Col.Run(input.AsSpan(b * imageLength, imageLength), _input[0], _input[1], InputChannels,
                Geometry, _patches.AsSpan(b * patchFloats, patchFloats)));
        }
        Products.Forward(patches, batch * _outputPixels, Weight.Value, Bias?.Value, output, threads);
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        int rows = batch * _outputPixels;
        ParameterGradients(IsPointwise ? input : _patches, outputGradient, rows, threads);
        if (inputGradient is null) return;
        if (IsPointwise)
        {
            Products.InputGradient(outputGradient, rows, Weight.Value, inputGradient, threads);
            return;
        }

        // The patches are no longer needed: they receive d(loss)/d(patches), which col2im adds back into the images.
        Products.InputGradient(outputGradient, rows, Weight.Value, _patches, threads);
        int imageLength = _input.ElementCount, patchFloats = _outputPixels * PatchLength;
        threads.ForItems(batch, (_, b) => Col2Im.Run(_patches.AsSpan(b * patchFloats, patchFloats), _input[0], _input[1], InputChannels,
            Geometry, inputGradient.AsSpan(b * imageLength, imageLength)));
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Conv2d(this);

    /// <inheritdoc/>
    internal override long ScratchFloatsPerSample => IsPointwise ? 0 : (long)_outputPixels * PatchLength;
}
