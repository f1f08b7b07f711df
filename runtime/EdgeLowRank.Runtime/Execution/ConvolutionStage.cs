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

    public int PatchFloats => IsPointwise ? 0 : Im2Col.PatchFloats(input[0], input[1], input[2], geometry);

    public ReadOnlySpan<float> Image(ReadOnlySpan<float> batch, int index) => batch.Slice(index * input.ElementCount, input.ElementCount);

    public Span<float> OutputImage(Span<float> batch, int index) => batch.Slice(index * OutputPixels * OutputChannels, OutputPixels * OutputChannels);

    public void Run(ReadOnlySpan<float> source, Span<float> destination, int batch, Activation activation, Span<float> patches, KernelPath path)
    {
        if (IsPointwise)
        {
            DenseKernel.RunValidated(source, batch * OutputPixels, weights.Data.Span, weights.Rows, weights.Columns, bias.Span, activation, destination, path);
            return;
        }
        Span<float> matrix = patches[..PatchFloats];
        for (int b = 0; b < batch; b++)
        {
            Im2Col.Run(Image(source, b), input[0], input[1], input[2], geometry, matrix);
            DenseKernel.RunValidated(matrix, OutputPixels, weights.Data.Span, weights.Rows, weights.Columns, bias.Span, activation, OutputImage(destination, b), path);
        }
    }
}
