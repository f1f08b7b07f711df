using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A depthwise convolution, image by image, reading the image in place (no scratch, padding or not); the scalar
/// reference on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class DepthwiseConv2dExecutor(DepthwiseConv2dLayer layer, TensorShape input, FusedActivation activation) : LayerExecutor
{
    private readonly int _outputLength = layer.GetOutputShape(input).ElementCount;
    private readonly DepthwiseStage _stage = new(layer, input);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        for (int b = 0; b < batch; b++)
            kernels.Depthwise(_stage, source.Slice(b * input.ElementCount, input.ElementCount), activation, destination.Slice(b * _outputLength, _outputLength));
    }
}
