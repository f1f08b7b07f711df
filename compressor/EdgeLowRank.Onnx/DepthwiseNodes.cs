using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A Conv's group read against the runtime's two convolutions. Group 1 is an ordinary convolution (Conv2d). A group
/// equal to the input's channels with one output channel per group is a depthwise convolution (DepthwiseConv2d:
/// PyTorch's <c>Conv2d(c, c, k, groups=c)</c>, MobileNet's depthwise step), whose c × 1 × k × k kernel becomes the
/// runtime's (k·k) × c filter table. Any other grouping, groups of several channels (ResNeXt, ShuffleNet) or several
/// outputs per channel (a depth multiplier), has no runtime layer and is refused.
/// </summary>
internal static class DepthwiseNodes
{
    private const string Supported = "this runtime supports group 1 (an ordinary convolution) or a depthwise convolution "
        + "(group = input channels = output channels, a depth multiplier of 1)";

    /// <summary>Whether a Conv with <paramref name="kernel"/> (c_out × c_in/group × k × k) over <paramref name="channels"/>
    /// input channels is depthwise. A Conv of group 1 is not, unless an elr export <paramref name="recorded"/> it as one
    /// and it maps one channel to one (a depthwise convolution of a single channel is written with group 1).</summary>
    /// <exception cref="OnnxImportException">A group that is neither 1 nor depthwise, or a kernel that does not fit it.</exception>
    public static bool IsDepthwise(NodeAttributes a, WeightTensor kernel, int channels, bool recorded)
    {
        long group = a.Int("group", 1), outputs = kernel.Dims[0], perGroup = kernel.Dims[1];
        if (group == 1) return recorded && channels == 1 && outputs == 1 && perGroup == 1;
        a.Require(group > 1, $"group is {group}; expected a positive number.");
        a.Require(perGroup * group == channels && outputs % group == 0, $"the kernel is {kernel.Shape}, which does not fit group {group} over {channels} input "
            + "channels: a Conv of group g over c channels to c_out has a c_out × c/g × k × k kernel, c_out a multiple of g.");
        a.Require(group == channels, $"a grouped convolution (group {group} over {channels} input channels, {outputs} output channels) is not supported; {Supported}.");
        a.Require(outputs == channels, $"a depthwise convolution with depth multiplier {outputs / channels} (group {group}, {channels} input channels, "
            + $"{outputs} output channels) is not supported; {Supported}.");
        return true;
    }

    /// <summary>The layer of a Conv <see cref="IsDepthwise"/> took, with its kernel reordered into the filter table.</summary>
    public static DepthwiseConv2dLayer Read(NodeAttributes a, WeightTensor kernel, ReadOnlyMemory<float> bias, ConvolutionGeometry geometry)
    {
        float[] values = kernel.Floats ?? throw new OnnxImportException($"{a.Where}: the depthwise kernel is int8 behind a DequantizeLinear; the runtime keeps "
            + "depthwise filters in f32. Import the float model.");
        int channels = (int)kernel.Dims[0];
        return new DepthwiseConv2dLayer(ChannelsFirst.DepthwiseFiltersFromOnnx(values, channels), bias, channels, geometry);
    }
}
