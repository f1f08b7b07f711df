namespace EdgeLowRank.Runtime.Layers;

/// <summary>A pooling layer: one value per window of a channels-last image, channel by channel, with a square window
/// moved by a stride and no padding. The subclasses say which value (<see cref="MaxPool2dLayer"/>,
/// <see cref="AvgPool2dLayer"/>).</summary>
public abstract class PoolLayer : Layer
{
    /// <summary>Creates the layer; a window of <paramref name="size"/> moved by <paramref name="stride"/>.</summary>
    /// <exception cref="ArgumentException">The numbers do not make a window.</exception>
    protected PoolLayer(int size, int stride)
    {
        Geometry = new ConvolutionGeometry(size, stride);
        Geometry.Validate();
    }

    /// <summary>Window and stride (padding is always 0).</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        ConvolutionShapes.RequireImage(Kind, input, channels: null);
        return Geometry.OutputShape(input, input[2]);
    }
}
