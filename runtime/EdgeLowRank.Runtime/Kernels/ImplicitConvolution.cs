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
        BorderedImage.Floats(height, width, channels, geometry.Pads);

    /// <summary>One image (height × width × channels) as the GEMM with packed (k·k·c_in) × c_out weights reads it: the
    /// image itself, or its zero-bordered copy in <paramref name="padded"/> (<see cref="PaddedFloats"/> floats of scratch)
    /// when the convolution pads, with <paramref name="windows"/> saying where each output pixel's window lies in it.
    /// The GEMM then has one row per output pixel.</summary>
    public static ReadOnlySpan<float> Windows(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry,
        Span<float> padded, out InputRows windows, out int outputPixels)
    {
        if (!geometry.Pads.IsZero)
        {
            image = BorderedImage.Copy(image, height, width, channels, geometry.Pads, 0f, padded);
            height += geometry.Pads.Height;
            width += geometry.Pads.Width;
            geometry = geometry.Unpadded;
        }
        int outputWidth = geometry.OutputWidth(width);
        windows = InputRows.Windows(width, channels, outputWidth, geometry);
        outputPixels = geometry.OutputHeight(height) * outputWidth;
        return image;
    }
}
