using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The backward pass of a depthwise convolution (<see cref="DepthwiseConv2d"/>) for one channels-last image: output
/// pixel (oy, ox) read input pixel (oy·s − top + ky, ox·s − left + kx) through tap (ky, kx), so its gradient flows back along
/// the same pairs, a tap in the padding carrying nothing. A pixel's channels are contiguous in the image, the gradients
/// and a tap's row of the filter table, so every pair is two vector multiply-adds over the channels.
/// </summary>
internal static class DepthwiseConvBackward
{
    /// <summary>Writes one image's filter, bias and input gradients (each cleared first).</summary>
    /// <param name="image">The forward pass's input, height × width × channels.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="channels">Channels, in and out.</param>
    /// <param name="filters">The (k·k) × channels tap-major filter table.</param>
    /// <param name="geometry">Kernel, stride and zero padding.</param>
    /// <param name="outputGradient">d(loss)/d(output), out-height × out-width × channels.</param>
    /// <param name="filterGradient">Receives d(loss)/d(filters), (k·k) × channels.</param>
    /// <param name="biasGradient">Receives d(loss)/d(bias), one per channel; empty when the layer has no bias.</param>
    /// <param name="imageGradient">Receives d(loss)/d(image); empty when no input gradient is needed.</param>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ConvolutionGeometry geometry, ReadOnlySpan<float> outputGradient, Span<float> filterGradient, Span<float> biasGradient,
        Span<float> imageGradient)
    {
        int k = geometry.KernelSize, s = geometry.Stride, top = geometry.Pads.Top, left = geometry.Pads.Left;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        filterGradient.Clear();
        biasGradient.Clear();
        imageGradient.Clear();
        for (int oy = 0; oy < outHeight; oy++)
            for (int ox = 0; ox < outWidth; ox++)
            {
                ReadOnlySpan<float> dy = outputGradient.Slice((oy * outWidth + ox) * channels, channels);
                if (!biasGradient.IsEmpty) TensorPrimitives.Add(biasGradient, dy, biasGradient);
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * s - top + ky;
                    if ((uint)iy >= (uint)height) continue;
                    for (int kx = 0; kx < k; kx++)
                    {
                        int ix = ox * s - left + kx;
                        if ((uint)ix >= (uint)width) continue;
                        int tap = (ky * k + kx) * channels, pixel = (iy * width + ix) * channels;
                        Span<float> df = filterGradient.Slice(tap, channels);
                        TensorPrimitives.MultiplyAdd(dy, image.Slice(pixel, channels), df, df);
                        if (imageGradient.IsEmpty) continue;
                        Span<float> dx = imageGradient.Slice(pixel, channels);
                        TensorPrimitives.MultiplyAdd(dy, filters.Slice(tap, channels), dx, dx);
                    }
                }
            }
    }
}
