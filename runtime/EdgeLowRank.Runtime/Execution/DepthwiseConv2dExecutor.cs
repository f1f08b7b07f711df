using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A depthwise convolution, image by image, reading the image in place (no scratch, padding or not); the scalar
/// reference on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class DepthwiseConv2dExecutor(DepthwiseConv2dLayer layer, TensorShape input, Activation activation) : LayerExecutor
{
    private readonly int _outputLength = layer.GetOutputShape(input).ElementCount;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        ReadOnlySpan<float> filters = layer.Filters.Span, bias = layer.Bias.Span;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> image = source.Slice(b * input.ElementCount, input.ElementCount);
            Span<float> convolved = destination.Slice(b * _outputLength, _outputLength);
            if (kernels.Path == KernelPath.Scalar)
                DepthwiseConvKernel.Reference(image, input[0], input[1], input[2], filters, bias, layer.Geometry, activation, convolved);
            else
                DepthwiseConvKernel.RunValidated(image, input[0], input[1], input[2], filters, bias, layer.Geometry, activation, convolved);
        }
    }
}
