using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// A convolution as a GEMM over the windows of each image, read in place (<see cref="ImplicitConvolution"/>), or gathered
/// as quantized levels for an integer one (<see cref="IntegerConvolution"/>); its scratch is one image's, however large the batch.
/// </summary>
internal sealed class Conv2dExecutor(ConvolutionStage stage, FusedActivation activation) : LayerExecutor
{
    public override long ScratchFloats(int maxBatch) => stage.ScratchFloats;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        stage.Run(source, destination, batch, activation, scratch, kernels);
}

/// <summary>A factorized convolution: the k×k convolution to r channels, then the 1×1 convolution to c_out, per image (in
/// integers, each quantizing its own input image, the r-channel one too).</summary>
internal sealed class FactorizedConv2dExecutor(ConvolutionStage first, ConvolutionStage second, FusedActivation activation) : LayerExecutor
{
    private int Intermediate => first.OutputPixels * first.OutputChannels;

    public override long ScratchFloats(int maxBatch) => Intermediate + Math.Max(first.ScratchFloats, second.ScratchFloats);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        Span<float> projected = scratch[..Intermediate];
        Span<float> stageScratch = scratch[Intermediate..];
        for (int b = 0; b < batch; b++)
        {
            first.Run(first.Image(source, b), projected, 1, FusedActivation.None, stageScratch, kernels);
            second.Run(projected, second.OutputImage(destination, b), 1, activation, stageScratch, kernels);
        }
    }
}
