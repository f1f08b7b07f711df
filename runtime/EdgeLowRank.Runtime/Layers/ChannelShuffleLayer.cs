namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// ShuffleNet's channel shuffle: the c channels of each pixel (or of a vector), seen as <see cref="Groups"/> groups of c/g,
/// are dealt out one from each group in turn, y[i·g + k] = x[k·(c/g) + i]. PyTorch writes it as
/// <c>x.view(n, g, c/g, h, w).transpose(1, 2).reshape(n, c, h, w)</c>, which ONNX exports as Reshape, Transpose, Reshape.
/// After a Concat of two paths it lets the next block's halves each hold channels of both.
/// </summary>
public sealed class ChannelShuffleLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="groups">The groups the channels are dealt from, at least 2 (one group leaves them as they are).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is below 2.</exception>
    internal ChannelShuffleLayer(int groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 2);
        Groups = groups;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.ChannelShuffle;

    /// <summary>The groups the channels are dealt from.</summary>
    public int Groups { get; }

    /// <summary>"ChannelShuffle g".</summary>
    public override string Label => $"{Kind} {Groups}";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input's channels do not split into <see cref="Groups"/> equal groups.</exception>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        int channels = input.Dimensions[^1];
        if (channels % Groups != 0)
            throw new ArgumentException($"{Kind} deals {Groups} equal groups of channels but receives {input}, whose last dimension ({channels}) is not a multiple of {Groups}.");
        return input;
    }
}
