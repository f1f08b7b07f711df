using System.Diagnostics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>One convolution's fixed geometry and weights, and how to run it on a batch of channels-last images.</summary>
internal sealed class ConvolutionStage(PackedMatrix weights, ReadOnlyMemory<float> bias, TensorShape input, ConvolutionGeometry geometry)
{
    private readonly int _outputHeight = geometry.OutputSize(input[0]);
    private readonly int _outputWidth = geometry.OutputSize(input[1]);

    public int OutputChannels => weights.Columns;

    public int OutputPixels => _outputHeight * _outputWidth;

    private bool IsPointwise => geometry is { KernelSize: 1, Stride: 1, Padding: 0 };

    /// <summary>Scratch floats per image: the zero-bordered copy of a padded input, else none.</summary>
    public int ScratchFloats => ImplicitConvolution.PaddedFloats(input[0], input[1], input[2], geometry);

    public ReadOnlySpan<float> Image(ReadOnlySpan<float> batch, int index) => batch.Slice(index * input.ElementCount, input.ElementCount);

    public Span<float> OutputImage(Span<float> batch, int index) => batch.Slice(index * OutputPixels * OutputChannels, OutputPixels * OutputChannels);

    public void Run(ReadOnlySpan<float> source, Span<float> destination, int batch, FusedActivation activation, Span<float> scratch, KernelRunner kernels)
    {
        if (IsPointwise)
        {
            // The channels-last batch already is the GEMM's input matrix: one pixel a row.
            kernels.Multiply(source, batch * OutputPixels, weights, bias.Span, activation, destination);
            return;
        }
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> image = ImplicitConvolution.Windows(Image(source, b), input[0], input[1], input[2], geometry, scratch,
                out InputRows windows, out int pixels);
            Debug.Assert(windows.Inputs == weights.Rows && pixels == OutputPixels);
            kernels.Multiply(image, pixels, windows, weights, bias.Span, activation, OutputImage(destination, b));
        }
    }
}
