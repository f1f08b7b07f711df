using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Lays out the patches of a channels-last image as the rows of a matrix, so a convolution becomes one
/// GEMM against the packed (k·k·c_in) × c_out weights. In channels-last order the k·c_in values of one
/// kernel row are contiguous in the image, so each patch row is built from k block copies (vectorized
/// by the runtime's memmove) instead of k·k·c_in scalar loads; padding is written as zeros.
/// Training needs the patch matrix itself (the weight gradient multiplies it by the output gradient);
/// inference reads the windows in place instead (<see cref="ImplicitConvolution"/>).
/// </summary>
internal static class Im2Col
{
    /// <summary>Writes the patch matrix of one image (height × width × channels) into <paramref name="patches"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> patches)
    {
        int k = geometry.KernelSize, stride = geometry.Stride, top = geometry.Pads.Top, left = geometry.Pads.Left;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        int rowLength = k * channels;
        int patchLength = k * rowLength;
        Debug.Assert(image.Length == height * width * channels);
        Debug.Assert(patches.Length >= outHeight * outWidth * patchLength);

        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                Span<float> patch = patches.Slice((oy * outWidth + ox) * patchLength, patchLength);
                int x0 = ox * stride - left;
                bool columnsInside = x0 >= 0 && x0 + k <= width;
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * stride - top + ky;
                    Span<float> row = patch.Slice(ky * rowLength, rowLength);
                    if ((uint)iy >= (uint)height)
                    {
                        row.Clear();
                    }
                    else if (columnsInside)
                    {
                        image.Slice((iy * width + x0) * channels, rowLength).CopyTo(row);
                    }
                    else
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            int ix = x0 + kx;
                            Span<float> pixel = row.Slice(kx * channels, channels);
                            if ((uint)ix >= (uint)width) pixel.Clear();
                            else image.Slice((iy * width + ix) * channels, channels).CopyTo(pixel);
                        }
                    }
                }
            }
        }
    }
}
