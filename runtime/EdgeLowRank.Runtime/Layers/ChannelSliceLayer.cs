namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// Keeps a run of channels: y = x[…, Start … Start + Count − 1] along the last dimension (an image's channels, channels-last;
/// a vector's elements). This is ONNX's Split or Slice along the channels, one output at a time (PyTorch's
/// <c>x.chunk(2, dim=1)</c>): ShuffleNet v2's block that passes half its channels through and convolves the other half is
/// <c>ChannelSlice(c/2, c/2), the branch's layers (output activation k), Branch ← j, ChannelSlice(0, c/2), Concat → k,
/// ChannelShuffle(2)</c> for a block input at activation j.
/// </summary>
public sealed class ChannelSliceLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="start">The first channel kept, from 0.</param>
    /// <param name="count">How many channels are kept, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative or <paramref name="count"/> below 1.</exception>
    internal ChannelSliceLayer(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Start = start;
        Count = count;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.ChannelSlice;

    /// <summary>The first channel kept, from 0.</summary>
    public int Start { get; }

    /// <summary>How many channels are kept.</summary>
    public int Count { get; }

    /// <summary>"ChannelSlice s…e": the channels kept, first and last.</summary>
    public override string Label => $"{Kind} {Start}…{Start + Count - 1}";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input has fewer than <see cref="Start"/> + <see cref="Count"/> channels.</exception>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        int channels = input.Dimensions[^1];
        if ((long)Start + Count > channels)
            throw new ArgumentException($"{Kind} keeps channels {Start} to {(long)Start + Count - 1} but receives {input}, whose last dimension has {channels} (0 to {channels - 1}).");
        int[] dims = input.Dimensions.ToArray();
        dims[^1] = Count;
        return new TensorShape(dims);
    }
}
