using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>Max or average pooling, image by image; the scalar reference on <see cref="KernelPath.Scalar"/>. A padded
/// pooling (only max pooling pads: <see cref="MaxPool2dLayer"/>) copies each image into a −∞-bordered scratch buffer
/// first, where a border pixel never wins, and pools that without padding.</summary>
internal sealed class PoolExecutor<TPooling>(PoolLayer layer, TensorShape input) : LayerExecutor where TPooling : IWindowPooling
{
    private readonly int _outputLength = layer.GetOutputShape(input).ElementCount;
    private readonly int _padding = layer.Geometry.Padding;

    public override long ScratchFloats(int maxBatch) => MaxPoolKernel.BorderedFloats(input[0], input[1], input[2], layer.Geometry);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> image = source.Slice(b * input.ElementCount, input.ElementCount);
            Span<float> pooled = destination.Slice(b * _outputLength, _outputLength);
            if (kernels.Path == KernelPath.Scalar) PoolKernel<TPooling>.Reference(image, input[0], input[1], input[2], layer.Geometry, pooled);
            else if (_padding == 0) PoolKernel<TPooling>.RunValidated(image, input[0], input[1], input[2], layer.Geometry, pooled);
            else MaxPoolKernel.RunPaddedValidated(image, input[0], input[1], input[2], layer.Geometry, pooled, scratch); // only max pooling pads
        }
    }
}
