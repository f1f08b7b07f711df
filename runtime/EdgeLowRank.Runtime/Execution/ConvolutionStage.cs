using System.Diagnostics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>One convolution's fixed geometry and weights, and how to run it on a batch of channels-last images: in f32, or
/// in integers with each image quantized as it runs (<paramref name="quantization"/>, <see cref="IntegerConvolution"/>).</summary>
internal sealed class ConvolutionStage(PackedMatrix weights, ReadOnlyMemory<float> bias, TensorShape input, ConvolutionGeometry geometry,
    InputQuantization quantization = InputQuantization.None)
{
    private readonly int _outputHeight = geometry.OutputHeight(input[0]);
    private readonly int _outputWidth = geometry.OutputWidth(input[1]);

    public int OutputChannels => weights.Columns;

    public int OutputPixels => _outputHeight * _outputWidth;

    private bool IsPointwise => geometry is { KernelSize: 1, Stride: 1, Pads.IsZero: true };

    private bool Integer => quantization == InputQuantization.Dynamic;

    private int PaddedFloats => ImplicitConvolution.PaddedFloats(input[0], input[1], input[2], geometry);

    /// <summary>Scratch floats per image, however large the batch: the zero-bordered copy of a padded input, and for an integer
    /// convolution its quantized levels and windows.</summary>
    public long ScratchFloats => PaddedFloats + (Integer
        ? IntegerConvolution.ScratchFloats(PaddedFloats > 0 ? PaddedFloats : input.ElementCount, OutputPixels, weights.Rows)
        : 0);

    public ReadOnlySpan<float> Image(ReadOnlySpan<float> batch, int index) => batch.Slice(index * input.ElementCount, input.ElementCount);

    public Span<float> OutputImage(Span<float> batch, int index) => batch.Slice(index * OutputPixels * OutputChannels, OutputPixels * OutputChannels);

    public void Run(ReadOnlySpan<float> source, Span<float> destination, int batch, FusedActivation activation, Span<float> scratch, KernelRunner kernels)
    {
        if (Integer)
        {
            RunIntegers(source, destination, batch, activation, scratch, kernels);
            return;
        }
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

    /// <summary>Image by image, as each has a scale of its own: its windows quantized after the bordered copy, then multiplied
    /// in integers.</summary>
    private void RunIntegers(ReadOnlySpan<float> source, Span<float> destination, int batch, FusedActivation activation, Span<float> scratch,
        KernelRunner kernels)
    {
        Span<float> bordered = scratch[..PaddedFloats], quantized = scratch[PaddedFloats..];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> image = ImplicitConvolution.Windows(Image(source, b), input[0], input[1], input[2], geometry, bordered,
                out InputRows windows, out int pixels);
            IntegerConvolution.Quantize(image, windows, pixels, quantized, kernels.Path);
            kernels.MultiplyQuantized(quantized, pixels, weights, bias.Span, activation, OutputImage(destination, b));
        }
    }
}
