using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// The adjoint of <see cref="Im2Col"/>: adds each patch row back onto the image pixels it was copied
/// from, so d(loss)/d(image) = Σ over the patches that contain a pixel. Channels-last makes the k·c_in
/// values of one kernel row contiguous, so the additions are vectorized spans; padding is dropped. A window starts at
/// (oy·stride − top, ox·stride − left): the bottom and right padding only decide how many windows there are.
/// </summary>
internal static class Col2Im
{
    /// <summary>Overwrites <paramref name="image"/> (height × width × channels) with the sum of its patches' gradients.</summary>
    public static void Run(ReadOnlySpan<float> patches, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> image)
    {
        int k = geometry.KernelSize, stride = geometry.Stride, top = geometry.Pads.Top, left = geometry.Pads.Left;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        int rowLength = k * channels;
        image.Clear();
        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                ReadOnlySpan<float> patch = patches.Slice((oy * outWidth + ox) * k * rowLength, k * rowLength);
                int x0 = ox * stride - left;
                // The columns of the window that fall inside the image: [first, last).
                int first = Math.Max(0, -x0), last = Math.Min(k, width - x0);
                if (first >= last) continue;
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * stride - top + ky;
                    if ((uint)iy >= (uint)height) continue;
                    Span<float> pixels = image.Slice((iy * width + x0 + first) * channels, (last - first) * channels);
                    TensorPrimitives.Add(pixels, patch.Slice(ky * rowLength + first * channels, pixels.Length), pixels);
                }
            }
        }
    }
}
