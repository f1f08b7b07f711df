namespace EdgeLowRank.Runtime.Layers;

/// <summary>A pooling layer: one value per window of a channels-last image, channel by channel, with a square window
/// moved by a stride. The subclasses say which value (<see cref="MaxPool2dLayer"/>, <see cref="AvgPool2dLayer"/>) and
/// whether a window may hang over the image's edge (max pooling only).</summary>
public abstract class PoolLayer : Layer
{
    /// <summary>Creates the layer; a window of <paramref name="size"/> moved by <paramref name="stride"/>, hanging over the
    /// image's edges by <paramref name="pads"/>.</summary>
    /// <exception cref="ArgumentException">The numbers do not make a window.</exception>
    private protected PoolLayer(int size, int stride, WindowPadding pads)
    {
        Geometry = new ConvolutionGeometry(size, stride, pads);
        Geometry.Validate();
    }

    /// <summary>Window, stride and padding (0 but for a <see cref="MaxPool2dLayer"/> made with one).</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <inheritdoc/>
    internal override long PoolingReads(TensorShape input) => GetOutputShape(input).ElementCount * (long)Geometry.KernelSize * Geometry.KernelSize;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        ConvolutionShapes.RequireImage(Kind, input, channels: null);
        return Geometry.OutputShape(input, input[2]);
    }
}
