using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Max pooling of channels-last images, windows optionally hanging over each edge by a padding of fewer pixels than the
/// window's side, of which only the pixels inside the image count (ONNX's and PyTorch's MaxPool; ResNet's stem pools 3×3,
/// stride 2, padding 1; Keras' SAME pooling over an even side pads the bottom and right only). The forward pass is the
/// runtime's <see cref="MaxPoolKernel"/> (with padding, <see cref="MaxPoolKernel.RunPadded"/> in the thread's scratch); the
/// backward pass finds each window's maximum again by comparing the inside pixels with the output (the first one in window
/// order wins a tie) and routes the gradient there, so no index map has to be kept between the passes.
/// </summary>
/// <param name="name">A short name for reports, e.g. "pool1".</param>
/// <param name="size">The window's side.</param>
/// <param name="stride">The step between windows.</param>
/// <param name="pads">Pixels the windows may hang over each edge, each below <paramref name="size"/>.</param>
public sealed class MaxPool2d(string name, int size, int stride, WindowPadding pads) : Pool2d(name, size, stride, pads)
{
    private float[][] _scratch = [];

    /// <summary>Max pooling whose windows may hang over every edge alike by <paramref name="padding"/> pixels.</summary>
    /// <param name="name">A short name for reports, e.g. "pool1".</param>
    /// <param name="size">The window's side.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Pixels the windows may hang over each edge, below <paramref name="size"/>.</param>
    public MaxPool2d(string name, int size, int stride, int padding = 0) : this(name, size, stride, WindowPadding.Even(padding)) { }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int inLength = Input.ElementCount, outLength = Output.ElementCount;
        int scratchFloats = MaxPoolKernel.BorderedFloats(Input[0], Input[1], Input[2], Geometry);
        // Once per thread count and image shape, not per step: a thread's buffer serves every image it pools.
        if (_scratch.Length < threads.Count || _scratch[0].Length != scratchFloats)
            _scratch = [.. Enumerable.Range(0, threads.Count).Select(_ => new float[scratchFloats])];
        float[][] scratch = _scratch;
        threads.ForItems(batch, (worker, b) => MaxPoolKernel.RunPadded(input.AsSpan(b * inLength, inLength), Input[0], Input[1], Input[2], Geometry,
            output.AsSpan(b * outLength, outLength), scratch[worker]));
    }

    /// <inheritdoc/>
    protected override void RouteGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient) =>
        RouteToMaxima(image, pooled, pooledGradient, imageGradient);

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new MaxPool2d(Name, Geometry.KernelSize, Geometry.Stride, Geometry.Pads);

    /// <summary>Routes each pooled gradient to the first maximum of its window, eight channels at a time:
    /// a lane takes the gradient at the first window position whose value equals the pooled maximum
    /// (the scalar <see cref="RouteToMaximaReference"/>'s rule), tracked by a mask of lanes still unassigned. A padded window
    /// is clipped to the image first: the pooled maximum is one of its inside pixels, never the border.</summary>
    private void RouteToMaxima(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int channels = Input[2];
        if (!Vector256.IsHardwareAccelerated || channels < Vector256<float>.Count)
        {
            RouteToMaximaReference(image, pooled, pooledGradient, imageGradient);
            return;
        }
        int k = Geometry.KernelSize, s = Geometry.Stride, top = Geometry.Pads.Top, left = Geometry.Pads.Left;
        int height = Input[0], width = Input[1];
        int outHeight = Output[0], outWidth = Output[1];
        const int Lanes = 8;
        imageGradient.Clear();
        ref float img = ref MemoryMarshal.GetReference(image);
        ref float grad = ref MemoryMarshal.GetReference(imageGradient);
        for (int oy = 0; oy < outHeight; oy++)
        {
            int y0 = oy * s - top, kyStart = Math.Max(0, -y0), kyEnd = Math.Min(k, height - y0);
            for (int ox = 0; ox < outWidth; ox++)
            {
                int x0 = ox * s - left, kxStart = Math.Max(0, -x0), kxEnd = Math.Min(k, width - x0);
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
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    {
                        for (int kx = kxStart; kx < kxEnd; kx++)
                        {
                            nuint i = (nuint)(((y0 + ky) * width + x0 + kx) * channels + c0);
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

    /// <summary>The scalar oracle of <see cref="RouteToMaxima"/>: every window position in order, skipping those outside the image.</summary>
    internal void RouteToMaximaReference(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int k = Geometry.KernelSize, s = Geometry.Stride, top = Geometry.Pads.Top, left = Geometry.Pads.Left;
        int height = Input[0], width = Input[1], channels = Input[2];
        int outWidth = Output[1];
        imageGradient.Clear();
        for (int o = 0; o < pooled.Length; o++)
        {
            int c = o % channels, pixel = o / channels;
            int y0 = pixel / outWidth * s - top, x0 = pixel % outWidth * s - left;
            int winner = -1;
            for (int ky = 0; ky < k && winner < 0; ky++)
                for (int kx = 0; kx < k && winner < 0; kx++)
                {
                    int y = y0 + ky, x = x0 + kx;
                    if (y < 0 || y >= height || x < 0 || x >= width) continue;
                    int i = (y * width + x) * channels + c;
                    if (image[i] == pooled[o]) winner = i;
                }
            imageGradient[winner] += pooledGradient[o];
        }
    }
}
