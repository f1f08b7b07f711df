using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>An integer convolution of one image as the format defines it, for the tests of the kernels and of the golden files.</summary>
internal static class IntegerConvolutionOracle
{
    /// <summary>The definition (docs/FORMAT.md, "Int8 arithmetic"), loop by loop: the image quantized as one sample, then for each
    /// output pixel and channel the exact sum of (q − z)·w over the window's taps inside the image (a tap in the padding is
    /// the zero point: nothing), scaled back as a dense layer's sum is.</summary>
    public static void Run(ReadOnlySpan<float> image, TensorShape shape, PackedMatrix weights, ReadOnlySpan<float> bias,
        ConvolutionGeometry geometry, FusedActivation activation, Span<float> output)
    {
        int height = shape[0], width = shape[1], channels = shape[2], k = geometry.KernelSize, outputs = weights.Columns;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        var levels = new ushort[image.Length];
        (float scale, int zeroPoint) = DynamicQuantization.Reference(image, levels);
        ReadOnlySpan<sbyte> q = weights.Quantized.Span;
        ReadOnlySpan<float> scales = weights.Scales.Span;
        for (int oy = 0; oy < outHeight; oy++)
            for (int ox = 0; ox < outWidth; ox++)
                for (int n = 0; n < outputs; n++)
                {
                    int sum = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy * geometry.Stride + ky - geometry.Pads.Top, ix = ox * geometry.Stride + kx - geometry.Pads.Left;
                            if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                            for (int c = 0; c < channels; c++)
                            {
                                int row = (ky * k + kx) * channels + c;
                                sum += (levels[(iy * width + ix) * channels + c] - zeroPoint)
                                    * q[(n / PackedMatrix.PanelWidth * weights.Rows + row) * PackedMatrix.PanelWidth + n % PackedMatrix.PanelWidth];
                            }
                        }
                    output[(oy * outWidth + ox) * outputs + n] = activation.Apply(sum * (scale * scales[n]) + (bias.IsEmpty ? 0f : bias[n]));
                }
    }
}
