namespace EdgeLowRank.Runtime.Layers;

/// <summary>The maximum over each window of a channels-last image, channel by channel (no padding).</summary>
public sealed class MaxPool2dLayer(int size, int stride) : PoolLayer(size, stride)
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.MaxPool2d;
}

/// <summary>The mean over each window of a channels-last image, channel by channel (no padding, so every window
/// averages k·k values: ONNX's AveragePool and PyTorch's AvgPool2d without padding; GlobalAveragePool is the window
/// that covers a square image).</summary>
public sealed class AvgPool2dLayer(int size, int stride) : PoolLayer(size, stride)
{
    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.AvgPool2d;
}
