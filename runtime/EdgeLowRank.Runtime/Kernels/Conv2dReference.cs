using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The oracle for convolutions: the textbook direct loop over output pixels, output channels and the
/// window, reading weights element by element. Slow and obviously right; the runtime's implicit GEMM (<see cref="ImplicitConvolution"/>) is tested against it.
/// </summary>
internal static class Conv2dReference
{
    /// <summary>One channels-last image through a convolution whose weight row index is (ky·k + kx)·c_in + ci.</summary>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int inputChannels, PackedMatrix weights,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, Activation activation, Span<float> output)
    {
        int k = geometry.KernelSize;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        int outputChannels = weights.Columns;
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        for (int co = 0; co < outputChannels; co++)
        {
            float sum = bias.IsEmpty ? 0f : bias[co];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            {
                int iy = oy * geometry.Stride - geometry.Pads.Top + ky;
                int ix = ox * geometry.Stride - geometry.Pads.Left + kx;
                if ((uint)iy >= (uint)height || (uint)ix >= (uint)width) continue;
                for (int ci = 0; ci < inputChannels; ci++)
                    sum += image[(iy * width + ix) * inputChannels + ci] * weights[(ky * k + kx) * inputChannels + ci, co];
            }
            output[(oy * outWidth + ox) * outputChannels + co] = activation == Activation.Relu ? MathF.Max(sum, 0f) : sum;
        }
    }
}
