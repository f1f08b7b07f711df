using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new MaxPool2d(Name, Geometry.KernelSize, Geometry.Stride);

    /// <summary>Routes each pooled gradient to the first maximum of its window, eight channels at a time:
    /// a lane takes the gradient at the first window position whose value equals the pooled maximum
    /// (the scalar <see cref="RouteToMaximaReference"/>'s rule), tracked by a mask of lanes still unassigned.</summary>
    private void RouteToMaxima(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int channels = _input[2];
        if (!Vector256.IsHardwareAccelerated || channels < Vector256<float>.Count)
        {
            RouteToMaximaReference(image, pooled, pooledGradient, imageGradient);
            return;
        }
        int k = Geometry.KernelSize, s = Geometry.Stride, width = _input[1];
        int outHeight = _output[0], outWidth = _output[1];
        const int Lanes = 8;
        imageGradient.Clear();
        ref float img = ref MemoryMarshal.GetReference(image);
        ref float grad = ref MemoryMarshal.GetReference(imageGradient);
        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                int o = (oy * outWidth + ox) * channels;
                // Vectors of eight channels; the last one overlaps the previous when channels is not a multiple
                // of eight, and handles only its new lanes.
                for (int c = 0; c < channels; c += Lanes)
                {
                    int c0 = Math.Min(c, channels - Lanes);
                    Vector256<float> fresh = c0 == c ? Vector256<float>.AllBitsSet
                        : Vector256.GreaterThanOrEqual(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(c - c0)));
                    Vector256<float> max = Vector256.Create(pooled.Slice(o + c0, Lanes));
                    Vector256<float> g = Vector256.Create(pooledGradient.Slice(o + c0, Lanes));
                    Vector256<float> open = fresh;
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            nuint i = (nuint)(((oy * s + ky) * width + ox * s + kx) * channels + c0);
                            Vector256<float> wins = Vector256.Equals(Vector256.LoadUnsafe(ref img, i), max) & open;
                            if (wins == Vector256<float>.Zero) continue;
                            (Vector256.LoadUnsafe(ref grad, i) + (wins & g)).StoreUnsafe(ref grad, i);
                            open = Vector256.AndNot(open, wins);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The scalar oracle of <see cref="RouteToMaxima"/>.</summary>
    internal void RouteToMaximaReference(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
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
