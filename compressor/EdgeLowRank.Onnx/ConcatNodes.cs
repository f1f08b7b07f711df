using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX's Concat of computed tensors along the channels (SqueezeNet's Fire module, Inception's and DenseNet's blocks) read
/// as the runtime's <see cref="ConcatLayer"/>s. A runtime Concat stacks one earlier activation before the chain's tensor,
/// or after it (<see cref="ConcatLayer.InputFirst"/>), so a Concat node of n tensors, the chain's among them, becomes n − 1
/// layers growing the stack from the chain's tensor outwards: first the inputs before it, nearest first, each put in
/// front, then those after it, each put behind. The paths the inputs end have started as Branches
/// (<see cref="ResidualNodes"/>); a Concat of shapes (a Reshape's x.size(0), -1) is evaluated by <see cref="ShapeValues"/>
/// and never comes here.
/// </summary>
internal static class ConcatNodes
{
    /// <summary>What the runtime takes as a Concat, for messages.</summary>
    public const string Joins = "the runtime stacks the channels of earlier activations of the chain of nodes and the chain's tensor: paths that "
        + "start from an earlier tensor of the chain and end in the Concat (SqueezeNet's Fire module, Inception's blocks)";

    /// <summary>The layers for the Concat <paramref name="node"/>, one of whose inputs is the chain's tensor
    /// <paramref name="current"/>, activation <paramref name="layerIndex"/> of <paramref name="shape"/>.</summary>
    /// <exception cref="OnnxImportException">A constant among the inputs, an axis other than the channels, inputs whose other
    /// dimensions differ, or an input that is no earlier activation.</exception>
    public static IReadOnlyList<ConcatLayer> Read(NodeProto node, NodeAttributes a, string current, int layerIndex, TensorShape shape, ResidualNodes joins,
        GraphWeights weights)
    {
        a.AllowOnly("axis");
        if (node.Input.FirstOrDefault(weights.IsWeight) is { } constant)
            throw new OnnxImportException($"{a.Where}: it stacks the constant '{constant}' with computed tensors; the runtime's Concat stacks two activations "
                + "and has no constant channels: compute the channels in the network, or leave them out and fold what they feed into a bias.");
        bool image = ChannelsFirst.IsImage(shape);
        string dims = image ? "batch × C × H × W" : "batch × features";
        long channels = image ? -3 : -1, axis = a.Int("axis", 0);   // ONNX requires the axis; none is axis 0 here, refused below
        a.Require(axis == 1 || axis == channels, $"it stacks {dims} tensors along axis {axis}; the runtime's Concat stacks {(image ? "channels" : "features")} "
            + $"only: axis 1 (or {channels}). Stack along the channels, or join the paths another way (an Add).");
        joins.Joined(current, Joins, a);   // the chain's tensor must be an activation too (not a flattened channels-first image)
        int at = node.Input.IndexOf(current);
        var stacked = new List<ConcatLayer>();
        void Stack(string tensor, bool inputFirst)
        {
            (int source, TensorShape other) = joins.Joined(tensor, Joins, a);
            a.Require(source < layerIndex + stacked.Count, $"it stacks '{tensor}' and '{current}', which are one activation (only nodes that make no runtime "
                + "layer between them, such as an Identity); the runtime's Concat stacks an earlier activation and the chain's tensor.");
            a.Require(other.Rank == shape.Rank && other.Dimensions[..^1].SequenceEqual(shape.Dimensions[..^1]), $"it stacks '{tensor}' "
                + $"({ResidualNodes.Describe(other)}) and '{current}' ({ResidualNodes.Describe(shape)}); the runtime's Concat stacks tensors that agree in every dimension but the "
                + "channels: give the paths the same height and width.");
            stacked.Add(new ConcatLayer(source, inputFirst));
        }
        for (int i = at - 1; i >= 0; i--) Stack(node.Input[i], inputFirst: false);
        for (int i = at + 1; i < node.Input.Count; i++) Stack(node.Input[i], inputFirst: true);
        return stacked;
    }
}
