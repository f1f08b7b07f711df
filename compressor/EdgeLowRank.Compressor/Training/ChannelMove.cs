using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A layer without parameters that moves each pixel's channels (or a vector's features) and computes nothing:
/// <see cref="ChannelSlice"/>, <see cref="ChannelShuffle"/>. It holds the runtime's layer it exports as, which checks its
/// arguments when it is built and the input's shape when it is bound, so the trainer refuses what the runtime would refuse,
/// in the runtime's words.
/// </summary>
/// <typeparam name="TDescription">The runtime's layer type.</typeparam>
public abstract class ChannelMove<TDescription> : TrainingLayer where TDescription : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "slice1".</param>
    /// <param name="description">The runtime's layer that computes the same move.</param>
    protected ChannelMove(string name, TDescription description)
    {
        Name = name;
        Description = description;
    }

    /// <inheritdoc/>
    public sealed override string Name { get; }

    /// <summary>The runtime's layer this one computes.</summary>
    protected TDescription Description { get; }

    /// <summary>The input's channels: the width of the rows the move works on.</summary>
    protected int Channels { get; private set; }

    /// <summary>Rows of channels per sample: an image's pixels, 1 for a vector.</summary>
    protected int Pixels { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The runtime's layer cannot take an input of that shape.</exception>
    public sealed override TensorShape Bind(TensorShape input, int maxBatch)
    {
        TensorShape output = Description.GetOutputShape(input);
        Channels = input.Dimensions[^1];
        Pixels = input.ElementCount / Channels;
        return output;
    }
}
