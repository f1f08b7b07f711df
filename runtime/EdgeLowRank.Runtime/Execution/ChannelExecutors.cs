using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A ChannelSlice: each pixel's run of channels, into a buffer of its own (the rows narrow, so the copy cannot
/// run in place).</summary>
internal sealed class ChannelSliceExecutor(ChannelSliceLayer layer, TensorShape input) : LayerExecutor
{
    private readonly int _channels = input.Dimensions[^1];

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        ChannelKernels.Slice(source, _channels, layer.Start, layer.Count, destination);
}

/// <summary>A ChannelShuffle: each pixel's channels dealt from their groups, into a buffer of its own (a pixel's channels
/// are read in another order than they are written).</summary>
internal sealed class ChannelShuffleExecutor(ChannelShuffleLayer layer, TensorShape input) : LayerExecutor
{
    private readonly int _channels = input.Dimensions[^1];

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        if (kernels.Path == KernelPath.Scalar) ChannelKernels.ShuffleReference(source, _channels, layer.Groups, destination);
        else ChannelKernels.Shuffle(source, _channels, layer.Groups, destination);
    }
}
