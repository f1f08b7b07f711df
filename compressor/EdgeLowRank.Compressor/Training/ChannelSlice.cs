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
public sealed class ChannelSlice : TrainingLayer
{
    private readonly ChannelSliceLayer _description; // the runtime's layer: checks the arguments and the input's shape
    private int _channels, _pixels; // the input's channels, and rows of channels per sample (1 for a vector)

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "slice1".</param>
    /// <param name="start">The first channel kept, from 0.</param>
    /// <param name="count">How many channels are kept, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative or <paramref name="count"/> below 1.</exception>
    public ChannelSlice(string name, int start, int count)
    {
        _description = new ChannelSliceLayer(start, count);
        Name = name;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The first channel kept, from 0.</summary>
    public int Start => _description.Start;

    /// <summary>How many channels are kept.</summary>
    public int Count => _description.Count;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input has fewer than <see cref="Start"/> + <see cref="Count"/> channels.</exception>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        TensorShape output = _description.GetOutputShape(input);
        _channels = input.Dimensions[^1];
        _pixels = input.ElementCount / _channels;
        return output;
    }

    /// <summary>Copies each pixel's kept channels, with the runtime's kernel, so training computes what the exported slice does.</summary>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int rows = batch * _pixels;
        ChannelKernels.Slice(input.AsSpan(0, rows * _channels), _channels, Start, Count, output.AsSpan(0, rows * Count));
    }

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int rows = batch * _pixels, end = Start + Count;
        for (int row = 0; row < rows; row++)
        {
            Span<float> dx = inputGradient.AsSpan(row * _channels, _channels);
            dx[..Start].Clear();
            outputGradient.AsSpan(row * Count, Count).CopyTo(dx[Start..end]);
            dx[end..].Clear();
        }
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ChannelSlice(Name, Start, Count);
}
