using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A ChannelSlice: each pixel's run of channels, into a buffer of its own (the rows narrow, so the copy cannot
/// run in place). One image's pixels are split across the session's threads in runs whose output falls on whole cache lines.</summary>
internal sealed class ChannelSliceExecutor : LayerExecutor
{
    private readonly int _channels, _start, _count, _rowAlignment;
    private readonly RangeKernel _slice;

    public ChannelSliceExecutor(ChannelSliceLayer layer, TensorShape input)
    {
        (_channels, _start, _count) = (input.Dimensions[^1], layer.Start, layer.Count);
        _rowAlignment = SplitKernelRunner.RowAlignment(_count);
        _slice = (_, x, _, y, start, end) =>
            ChannelKernels.Slice(x[(start * _channels)..(end * _channels)], _channels, _start, _count, y[(start * _count)..(end * _count)]);
    }

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        kernels.Ranges(_slice, source, ReadOnlySpan<float>.Empty, destination, source.Length / _channels, _count, _rowAlignment);
}

/// <summary>A ChannelShuffle: each pixel's channels dealt from their groups, into a buffer of its own (a pixel's channels
/// are read in another order than they are written). One image's pixels are split across the session's threads in runs
/// whose output falls on whole cache lines.</summary>
internal sealed class ChannelShuffleExecutor : LayerExecutor
{
    private readonly int _channels, _rowAlignment;
    private readonly RangeKernel _shuffle;

    public ChannelShuffleExecutor(ChannelShuffleLayer layer, TensorShape input)
    {
        _channels = input.Dimensions[^1];
        _rowAlignment = SplitKernelRunner.RowAlignment(_channels);
        int groups = layer.Groups;
        _shuffle = (path, x, _, y, start, end) =>
        {
            ReadOnlySpan<float> rows = x[(start * _channels)..(end * _channels)];
            Span<float> shuffled = y[(start * _channels)..(end * _channels)];
            if (path == KernelPath.Scalar) ChannelKernels.ShuffleReference(rows, _channels, groups, shuffled);
            else ChannelKernels.Shuffle(rows, _channels, groups, shuffled);
        };
    }

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        kernels.Ranges(_shuffle, source, ReadOnlySpan<float>.Empty, destination, source.Length / _channels, _channels, _rowAlignment);
}
