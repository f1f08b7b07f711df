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
        stage.Run(source, destination, batch, activation, scratch, path);
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
            first.Run(first.Image(source, b), projected, 1, Activation.None, patches, path);
            second.Run(projected, second.OutputImage(destination, b), 1, activation, Span<float>.Empty, path);
        }
    }
}
