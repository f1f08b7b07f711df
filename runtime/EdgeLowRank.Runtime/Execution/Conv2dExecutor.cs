using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A convolution as a GEMM over the windows of each image, read in place (<see cref="ImplicitConvolution"/>);
/// the only scratch is a padded image's bordered copy, however large the batch.
/// </summary>
internal sealed class Conv2dExecutor(ConvolutionStage stage, FusedActivation activation) : LayerExecutor
{
    public override long ScratchFloats(int maxBatch) => stage.ScratchFloats;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        stage.Run(source, destination, batch, activation, scratch, kernels);
}

/// <summary>A factorized convolution: the k×k convolution to r channels, then the 1×1 convolution to c_out, per image.</summary>
internal sealed class FactorizedConv2dExecutor(ConvolutionStage first, ConvolutionStage second, FusedActivation activation) : LayerExecutor
{
    private int Intermediate => first.OutputPixels * first.OutputChannels;

    public override long ScratchFloats(int maxBatch) => (long)Intermediate + first.ScratchFloats;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        Span<float> projected = scratch[..Intermediate];
        Span<float> bordered = scratch[Intermediate..];
        for (int b = 0; b < batch; b++)
        {
            first.Run(first.Image(source, b), projected, 1, FusedActivation.None, bordered, kernels);
            second.Run(projected, second.OutputImage(destination, b), 1, activation, Span<float>.Empty, kernels);
        }
    }
}
