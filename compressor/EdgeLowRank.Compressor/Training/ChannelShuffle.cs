using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// ShuffleNet's channel shuffle, the runtime's <see cref="ChannelShuffleLayer"/>: the c channels of each pixel (or a vector's
/// features), seen as <see cref="Groups"/> groups of c/g, are dealt out one from each group in turn, y[i·g + k] = x[k·(c/g) + i].
/// After a <see cref="ChannelConcat"/> of two paths it lets the next unit's halves each hold channels of both.
/// <para>The backward pass applies the inverse permutation, dx[k·(c/g) + i] = dy[i·g + k], which is itself a shuffle, of c/g
/// groups: the same kernel serves both directions.</para>
/// </summary>
/// <param name="name">Its name, e.g. "shuffle1".</param>
/// <param name="groups">The groups the channels are dealt from, at least 2 (one group leaves them as they are).</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is below 2.</exception>
public sealed class ChannelShuffle(string name, int groups) : ChannelMove<ChannelShuffleLayer>(name, new ChannelShuffleLayer(groups))
{
    /// <summary>The groups the channels are dealt from.</summary>
    public int Groups => Description.Groups;

    /// <summary>Deals each pixel's channels with the runtime's kernel, so training computes what the exported shuffle does.</summary>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int n = batch * Pixels * Channels;
        ChannelKernels.Shuffle(input.AsSpan(0, n), Channels, Groups, output.AsSpan(0, n));
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int n = batch * Pixels * Channels;
        ChannelKernels.Shuffle(outputGradient.AsSpan(0, n), Channels, Channels / Groups, inputGradient.AsSpan(0, n));
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ChannelShuffle(Name, Groups);
}
