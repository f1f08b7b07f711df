using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Keeps a run of channels: y = x[…, <see cref="Start"/> … Start + <see cref="Count"/> − 1] along the last dimension (an image's
/// channels, channels-last; a vector's features), the runtime's <see cref="ChannelSliceLayer"/>. ShuffleNet v2's basic unit
/// with its input at activation j is <c>ChannelSlice(c/2, c/2), the branch's layers → activation k, ShortcutBranch ← j,
/// ChannelSlice(0, c/2), ChannelConcat ← k (input first), ChannelShuffle(2)</c>: both slices read activation j.
/// <para>The backward pass writes the output gradient into the kept channels of the input gradient and zeros into the others.
/// It overwrites, like every layer's: where the input is also read elsewhere (the other slice, behind a branch), the chain adds
/// that path's gradient afterwards, as for any activation a skip reads.</para>
/// </summary>
/// <param name="name">Its name, e.g. "slice1".</param>
/// <param name="start">The first channel kept, from 0.</param>
/// <param name="count">How many channels are kept, at least 1.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative or <paramref name="count"/> below 1.</exception>
public sealed class ChannelSlice(string name, int start, int count) : ChannelMove<ChannelSliceLayer>(name, new ChannelSliceLayer(start, count))
{
    /// <summary>The first channel kept, from 0.</summary>
    public int Start => Description.Start;

    /// <summary>How many channels are kept.</summary>
    public int Count => Description.Count;

    /// <summary>Copies each pixel's kept channels, with the runtime's kernel, so training computes what the exported slice does.</summary>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int rows = batch * Pixels;
        ChannelKernels.Slice(input.AsSpan(0, rows * Channels), Channels, Start, Count, output.AsSpan(0, rows * Count));
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int rows = batch * Pixels, end = Start + Count;
        for (int row = 0; row < rows; row++)
        {
            Span<float> dx = inputGradient.AsSpan(row * Channels, Channels);
            dx[..Start].Clear();
            outputGradient.AsSpan(row * Count, Count).CopyTo(dx[Start..end]);
            dx[end..].Clear();
        }
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ChannelSlice(Name, Start, Count);
}
