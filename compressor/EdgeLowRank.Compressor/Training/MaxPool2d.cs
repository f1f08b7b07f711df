using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Max pooling of channels-last images (no padding). The forward pass is the runtime's
/// <see cref="MaxPoolKernel"/>; the backward pass finds each window's maximum again by comparing the
/// input with the output (the first one in window order wins a tie) and routes the gradient there,
/// so no index map has to be kept between the passes.
/// </summary>
public sealed class MaxPool2d(string name, int size, int stride) : TrainingLayer
{
    private TensorShape _input;
    private TensorShape _output;

    /// <inheritdoc/>
    public override string Name { get; } = name;

    /// <summary>The window (size × size, moved by the stride).</summary>
    public ConvolutionGeometry Geometry { get; } = new(size, stride);

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        Geometry.Validate();
        if (input.Rank != 3) throw new ArgumentException($"{Name} expects an image (height×width×channels) but receives {input}.");
        _input = input;
        _output = Geometry.OutputShape(input, input[2]);
        return _output;
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int inLength = _input.ElementCount, outLength = _output.ElementCount;
        threads.ForItems(batch, (_, b) => MaxPoolKernel.Run(input.AsSpan(b * inLength, inLength), _input[0], _input[1], _input[2],
            Geometry, output.AsSpan(b * outLength, outLength)));
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int inLength = _input.ElementCount, outLength = _output.ElementCount;
        threads.ForItems(batch, (_, b) => RouteToMaxima(
            input.AsSpan(b * inLength, inLength), output.AsSpan(b * outLength, outLength),
            outputGradient.AsSpan(b * outLength, outLength), inputGradient.AsSpan(b * inLength, inLength)));
    }

    private void RouteToMaxima(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int k = Geometry.KernelSize, s = Geometry.Stride, width = _input[1], channels = _input[2];
        int outWidth = _output[1];
        imageGradient.Clear();
        for (int o = 0; o < pooled.Length; o++)
        {
            int c = o % channels, pixel = o / channels;
            int y0 = pixel / outWidth * s, x0 = pixel % outWidth * s;
            int winner = -1;
            for (int ky = 0; ky < k && winner < 0; ky++)
                for (int kx = 0; kx < k && winner < 0; kx++)
                {
                    int i = ((y0 + ky) * width + x0 + kx) * channels + c;
                    if (image[i] == pooled[o]) winner = i;
                }
            imageGradient[winner] += pooledGradient[o];
        }
    }
}
