using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// What ShuffleNet (torchvision's shufflenet_v2) does that the runtime cannot, refused in plain words where the import
/// would otherwise only say that an operator or a reshape is not read: its units split an activation's channels in two
/// (torch.chunk: a Split or Slice node) and shuffle the channels of their Concat (a Reshape into groups of channels, a
/// Transpose of the groups and a Reshape back). The runtime's layers read whole activations and keep their channels'
/// order, so neither has a layer.
/// </summary>
internal static class ShuffleNodes
{
    /// <summary>Whether <paramref name="op"/> takes part of a tensor.</summary>
    public static bool Splits(string op) => op is "Split" or "Slice";

    /// <summary>The refusal of a Split or Slice node of <paramref name="input"/>.</summary>
    public static OnnxImportException Split(NodeAttributes a, string input) =>
        new($"{a.Where}: it takes part of '{input}' (a channel split, as ShuffleNet's torch.chunk(x, 2, dim=1), or a slice x[:, :c]); the runtime "
            + "has no layer that splits an activation: its layers read whole activations, which Adds and Concats join. Networks built of such splits "
            + "(ShuffleNet) are not supported.");

    /// <summary>Refuses, when <paramref name="shape"/> (a Reshape's target, null for the batch) splits the channels of
    /// the channels-first <paramref name="image"/> into groups, that first step of a channel shuffle.</summary>
    public static void RefuseChannelShuffle(long?[] shape, TensorShape image, NodeAttributes a)
    {
        int height = image[0], width = image[1], channels = image[2];
        bool groups = shape is [_, { } g, { } perGroup, { } h, { } w] && g * perGroup == channels && h == height && w == width;
        a.Require(!groups, $"it splits the {channels} channels of the {height}×{width} image into groups ({string.Join(", ", shape.Select(d => d?.ToString() ?? "batch"))}): "
            + "the first step of a channel shuffle (ShuffleNet's: a Reshape into groups, a Transpose of the groups, a Reshape back), which reorders the "
            + "channels; the runtime has no layer that reorders channels, so ShuffleNet is not supported.");
    }
}
