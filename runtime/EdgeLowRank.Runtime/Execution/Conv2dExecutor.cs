using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A convolution as im2col + GEMM, one image at a time (the patch matrix of one image is the only
/// scratch, however large the batch). A 1×1 convolution with stride 1 needs no patches: the
/// channels-last batch already is the matrix, so the whole batch is one GEMM.
/// </summary>
internal sealed class Conv2dExecutor(ConvolutionStage stage, Activation activation) : LayerExecutor
{
    public override int ScratchFloats(int maxBatch) => stage.PatchFloats;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path) =>
        stage.Run(source, destination, batch, stage.Bias, activation, scratch, path);
}

/// <summary>A factorized convolution: the k×k convolution to r channels, then the 1×1 convolution to c_out, per image.</summary>
internal sealed class FactorizedConv2dExecutor(ConvolutionStage first, ConvolutionStage second, Activation activation) : LayerExecutor
{
    private int Intermediate => first.OutputPixels * first.OutputChannels;

    public override int ScratchFloats(int maxBatch) => checked(Intermediate + first.PatchFloats);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        Span<float> projected = scratch[..Intermediate];
        Span<float> patches = scratch[Intermediate..];
        for (int b = 0; b < batch; b++)
        {
            first.Run(first.Image(source, b), projected, 1, ReadOnlySpan<float>.Empty, Activation.None, patches, path);
            second.Run(projected, second.OutputImage(destination, b), 1, second.Bias, activation, Span<float>.Empty, path);
        }
    }
}

/// <summary>One convolution's fixed geometry and weights, and how to run it on a batch of channels-last images.</summary>
internal sealed class ConvolutionStage(PackedMatrix weights, ReadOnlyMemory<float> bias, TensorShape input, ConvolutionGeometry geometry)
{
    private readonly int _outputHeight = geometry.OutputSize(input[0]);
    private readonly int _outputWidth = geometry.OutputSize(input[1]);

    public ReadOnlySpan<float> Bias => bias.Span;

    public int OutputChannels => weights.Columns;

    public int OutputPixels => _outputHeight * _outputWidth;

    private bool IsPointwise => geometry is { KernelSize: 1, Stride: 1, Padding: 0 };

    public int PatchFloats => IsPointwise ? 0 : Im2Col.PatchFloats(input[0], input[1], input[2], geometry);

    public ReadOnlySpan<float> Image(ReadOnlySpan<float> batch, int index) => batch.Slice(index * input.ElementCount, input.ElementCount);

    public Span<float> OutputImage(Span<float> batch, int index) => batch.Slice(index * OutputPixels * OutputChannels, OutputPixels * OutputChannels);

    public void Run(ReadOnlySpan<float> source, Span<float> destination, int batch, ReadOnlySpan<float> bias, Activation activation,
        Span<float> patches, KernelPath path)
    {
        if (IsPointwise)
        {
            DenseKernel.RunValidated(source, batch * OutputPixels, weights.Data.Span, weights.Rows, weights.Columns, bias, activation, destination, path);
            return;
        }
        Span<float> matrix = patches[..PatchFloats];
        for (int b = 0; b < batch; b++)
        {
            Im2Col.Run(Image(source, b), input[0], input[1], input[2], geometry, matrix);
            DenseKernel.RunValidated(matrix, OutputPixels, weights.Data.Span, weights.Rows, weights.Columns, bias, activation, OutputImage(destination, b), path);
        }
    }
}
