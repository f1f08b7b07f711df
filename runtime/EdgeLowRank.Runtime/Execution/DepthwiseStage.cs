using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A depthwise convolution's layer and input shape, and what a runner needs to split one image of it, found
/// once at load: a run then computes no shape (a <see cref="TensorShape"/> holds an array).</summary>
internal sealed class DepthwiseStage(DepthwiseConv2dLayer layer, TensorShape input)
{
    public DepthwiseConv2dLayer Layer => layer;

    public TensorShape Input => input;

    /// <summary>Rows of one output image.</summary>
    public int OutputRows { get; } = layer.Geometry.OutputHeight(input[0]);

    /// <summary>Multiply–adds of one image.</summary>
    public long MultiplyAccumulates { get; } = layer.MultiplyAccumulates(input);
}
