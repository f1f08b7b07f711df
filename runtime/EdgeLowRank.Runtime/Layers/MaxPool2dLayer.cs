namespace EdgeLowRank.Runtime.Layers;

/// <summary>The maximum over each window of a channels-last image, channel by channel (no padding).</summary>
public sealed class MaxPool2dLayer : Layer
{
    /// <summary>Creates the layer; a window of <paramref name="size"/> moved by <paramref name="stride"/>.</summary>
    public MaxPool2dLayer(int size, int stride)
    {
        Geometry = new ConvolutionGeometry(size, stride);
        Geometry.Validate();
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.MaxPool2d;

    /// <summary>Window and stride (padding is always 0).</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        ConvolutionShapes.RequireImage(Kind, input, channels: null);
        return Geometry.OutputShape(input, input[2]);
    }
}
