using System.Diagnostics;
using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Max pooling of a channels-last image. Channels are contiguous, so the fast path takes the maximum
/// of whole pixel vectors with TensorPrimitives (SIMD on every platform); <see cref="Reference"/>
/// is the scalar oracle and the <see cref="KernelPath.Scalar"/> path.
/// </summary>
public static class MaxPoolKernel
{
    /// <summary>Pools one image (height × width × channels) into <paramref name="output"/>.</summary>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output)
    {
        int k = geometry.KernelSize, stride = geometry.Stride;
        int outHeight = geometry.OutputSize(height), outWidth = geometry.OutputSize(width);
        Debug.Assert(geometry.Padding == 0 && output.Length >= outHeight * outWidth * channels);
        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                Span<float> pooled = output.Slice((oy * outWidth + ox) * channels, channels);
                image.Slice(((oy * stride) * width + ox * stride) * channels, channels).CopyTo(pooled);
                for (int ky = 0; ky < k; ky++)
                    for (int kx = ky == 0 ? 1 : 0; kx < k; kx++)
                        TensorPrimitives.Max(pooled, image.Slice(((oy * stride + ky) * width + ox * stride + kx) * channels, channels), pooled);
            }
        }
    }

    /// <summary>The scalar oracle: one comparison at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output)
    {
        int k = geometry.KernelSize, stride = geometry.Stride;
        int outHeight = geometry.OutputSize(height), outWidth = geometry.OutputSize(width);
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int c = 0; c < channels; c++)
        {
            float max = float.NegativeInfinity;
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
                max = MathF.Max(max, image[((oy * stride + ky) * width + ox * stride + kx) * channels + c]);
            output[(oy * outWidth + ox) * channels + c] = max;
        }
    }
}
