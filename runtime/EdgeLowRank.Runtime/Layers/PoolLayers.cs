namespace EdgeLowRank.Runtime.Layers;

/// <summary>The maximum over each window of a channels-last image, channel by channel. With padding (since format 1.7;
/// different per side since 1.13), windows hang over the image's edges, and only the pixels inside count (the padding is
/// −∞, as in ONNX's MaxPool and PyTorch's MaxPool2d: ResNet's stem pools 3×3 windows moved by 2 with padding 1; Keras'
/// MaxPooling2D with padding='same' hangs over the bottom and right edges only).</summary>
public sealed class MaxPool2dLayer : PoolLayer
{
    /// <param name="size">The window's side.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Pixels the windows may hang over each edge, below <paramref name="size"/>.</param>
    internal MaxPool2dLayer(int size, int stride, int padding = 0) : this(size, stride, WindowPadding.Even(padding)) { }

    /// <param name="size">The window's side.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="pads">Pixels the windows may hang over each edge, each below <paramref name="size"/>.</param>
    internal MaxPool2dLayer(int size, int stride, WindowPadding pads) : base(size, stride, pads) { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.MaxPool2d;
}

/// <summary>The mean over each window of a channels-last image, channel by channel (no padding, so every window
/// averages k·k values: ONNX's AveragePool and PyTorch's AvgPool2d without padding; GlobalAveragePool is the window
/// that covers a square image).</summary>
public sealed class AvgPool2dLayer : PoolLayer
{
    internal AvgPool2dLayer(int size, int stride) : base(size, stride, pads: default) { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.AvgPool2d;
}
