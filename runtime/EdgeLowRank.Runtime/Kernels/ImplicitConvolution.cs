using System.Diagnostics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A convolution of one channels-last image as a GEMM that reads its windows where they lie in the image
/// (implicit GEMM) instead of copying them into a patch matrix first (<see cref="Im2Col"/>). With channels last, each
/// of a window's k rows is k·c_in contiguous floats, so the dense kernel's micro-kernel walks a window as k runs
/// (<see cref="InputRows.Windows"/>). For LeNet-5's first convolution (c_in = 1) im2col copied 2,880 runs of five
/// floats an image and took longer than the multiplication. Padding is the one copy left: the image is written once
/// into a zero-bordered buffer. Every path runs this, the scalar one through <see cref="DenseReference"/>;
/// <see cref="Conv2dReference"/> is the oracle all are tested against.
/// </summary>
internal static class ImplicitConvolution
{
    /// <summary>Floats of the zero-bordered copy a padded convolution needs (0 without padding).</summary>
    public static int PaddedFloats(int height, int width, int channels, ConvolutionGeometry geometry) =>
        BorderedImage.Floats(height, width, channels, geometry.Padding);

    /// <summary>Convolves one image (height × width × channels) with packed (k·k·c_in) × c_out weights, f32 or int8, into
    /// <paramref name="output"/> (output pixels × c_out); <paramref name="padded"/> is <see cref="PaddedFloats"/>
    /// floats of scratch for the bordered copy.</summary>
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry,
        PackedMatrix weights, ReadOnlySpan<float> bias, Activation activation, Span<float> output, Span<float> padded, KernelPath path)
    {
        if (geometry.Padding > 0)
        {
            image = BorderedImage.Copy(image, height, width, channels, geometry.Padding, 0f, padded);
            height += 2 * geometry.Padding;
            width += 2 * geometry.Padding;
            geometry = geometry with { Padding = 0 };
        }
        int outputHeight = geometry.OutputSize(height), outputWidth = geometry.OutputSize(width);
        InputRows windows = InputRows.Windows(width, channels, outputWidth, geometry);
        Debug.Assert(windows.Inputs == weights.Rows && output.Length == outputHeight * outputWidth * weights.Columns);
        DenseKernel.RunRows(image, outputHeight * outputWidth, windows, PanelWeights.Of(weights), weights.Rows, weights.Columns,
            bias, activation, output, path);
    }
}
