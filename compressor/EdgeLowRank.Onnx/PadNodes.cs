using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A Pad read as more padding of the Conv that reads it. nn.ZeroPad2d before nn.Conv2d, and the Pad TF converters write
/// before a convolution of padding VALID (Keras' ZeroPadding2D), put zeros around the image the Conv then slides over:
/// the Conv's own zero padding, grown side by side (Keras' ZeroPadding2D(((0, 1), (0, 1))) pads the bottom and right only).
/// The runtime's convolutions pad with zeros, so only a constant Pad of zeros on the height and width whose one reader is a
/// Conv is folded (<see cref="NodeAttributes.ConvolutionWindow"/> requires each side's sum below the kernel); a pooling
/// pads otherwise (a MaxPool with −∞, an AveragePool's mean counting the padding or not), so a Pad before one is refused.
/// A Pad of zeros changes nothing and is read as nothing, whatever reads it.
/// </summary>
internal static class PadNodes
{
    /// <summary>A Pad folded into the Conv that reads it: what it adds on each side, and where it is, for messages.</summary>
    internal sealed record Fold(WindowPads Sides, string Where);

    private const string Supported = "the runtime pads only with zeros, inside a convolution: a Pad is read where its mode is constant with the value 0, it pads "
        + "the height and width (axes 2 and 3) by 0 or more, and its output is read by one Conv, whose own padding it grows (nn.ZeroPad2d before nn.Conv2d)";

    /// <summary>The zeros <paramref name="node"/>, a Pad of the chain's channels-first image, adds on each side of its height and
    /// width: its pads (an attribute before opset 11, then an input; opset 18's axes input says which axes they are for), its
    /// mode and value checked, and, unless it adds nothing, its output required to be read by one Conv.</summary>
    /// <exception cref="OnnxImportException">A Pad the runtime's zero padding of a convolution does not do.</exception>
    public static WindowPads Read(NodeProto node, NodeAttributes a, long opset, GraphProto graph, GraphWeights weights)
    {
        long[] pads;
        long?[] axes = [0, 1, 2, 3];
        float value;
        if (opset < 11)
        {
            a.AllowOnly("mode", "pads", "value");
            pads = a.Ints("pads") ?? throw new OnnxImportException($"{a.Where}: it has no pads; before opset 11 a Pad gives them as an attribute.");
            value = a.Float("value", 0);
        }
        else
        {
            // The arity check refuses the pads given as an attribute; the value's input has another name than its attribute had.
            a.Require(node.Attribute.All(x => x.Name != "value"), $"it gives value as an attribute; at opset {opset}, the model's, a Pad takes its constant as "
                + "the input constant_value (value is an attribute before opset 11). Give it as that input, or export the model again with the opset its form belongs to.");
            a.AllowOnly("mode");
            // Required: the table refuses a Pad without them.
            pads = OnnxTensors.Int64s(weights.Constant(node.Input[1]) ?? throw PadsNotConstant(a.Where, node.Input[1], "computed in the graph from its input"), a.Where);
            value = weights.ConstantInput(node, 2, "constant_value", a) is { } constant ? Scalar(constant, a) : 0;
            if (weights.ConstantInput(node, 3, "axes", a) is { } given) axes = OnnxTensors.Int64s(given, a.Where).Select(x => (long?)(x < 0 ? x + 4 : x)).ToArray();
        }
        string found = $"pads ({string.Join(", ", pads)}){(axes.Length < 4 ? $" for axes ({string.Join(", ", axes)})" : "")}";
        a.Require(pads.Length == 2 * axes.Length && axes.All(x => x is >= 0 and < 4) && axes.Distinct().Count() == axes.Length,
            $"it has {found}; a Pad of a batch × C × H × W image takes a beginning and an end for each of its axes (each axis once, from −4 to 3).");
        var before = new long[4];
        var after = new long[4];
        for (int i = 0; i < axes.Length; i++) (before[(int)axes[i]!], after[(int)axes[i]!]) = (pads[i], pads[axes.Length + i]);
        var sides = new WindowPads(before[2], before[3], after[2], after[3]);
        if (before.Concat(after).All(p => p == 0)) return sides;
        a.Require(before.Concat(after).All(p => p >= 0), $"it has {found}, negative values that crop the image; {Supported}. Crop the image another way "
            + "(a Slice of the height and width has no runtime layer either), or export the network without the crop.");
        a.Require(before[0] == 0 && after[0] == 0 && before[1] == 0 && after[1] == 0, $"it has {found}, which pad the {(before[0] != 0 || after[0] != 0 ? "batch (axis 0)" : "channels (axis 1)")}; "
            + $"{Supported}.");
        string mode = a.String("mode", "constant");
        a.Require(mode == "constant", $"its mode is {mode} ({mode switch { "reflect" => "the pixels mirrored at the edge", "edge" => "the edge pixels repeated", "wrap" => "the opposite edge's pixels", _ => "not an ONNX mode" }}); "
            + $"{Supported}. Train the network with zero padding (padding_mode='zeros', PyTorch's default).");
        a.Require(value == 0, $"it pads with the constant {value}; {Supported}. Train the network with zero padding.");
        RequireOneConv(node, a, graph);
        return sides;
    }

    /// <summary>The refusal of the first Pad after node <paramref name="index"/> whose pads that node takes part in computing
    /// (from its outputs, through any nodes); null when it computes no Pad's pads.</summary>
    public static OnnxImportException? PadsComputedBy(GraphProto graph, int index)
    {
        var computed = graph.Node[index].Output.ToHashSet();
        for (int i = index + 1; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            if (node.OpType == "Pad" && node.Input.Count > 1 && computed.Contains(node.Input[1]))
                return PadsNotConstant(new NodeAttributes(node, i).Where, node.Input[1],
                    $"computed through {new NodeAttributes(graph.Node[index], index).Where}, which is read only on constants and here reads a tensor computed from the graph's input");
            if (node.Input.Any(computed.Contains)) computed.UnionWith(node.Output);
        }
        return null;
    }

    /// <summary>The refusal of a Pad whose pads are <paramref name="how"/> ("computed in the graph from its input"): its zeros
    /// become the padding of a Conv, a number fixed in the model.</summary>
    private static OnnxImportException PadsNotConstant(string where, string pads, string how) =>
        new($"{where}: its pads ('{pads}') are {how} (its data, or a size the export left dynamic); the import folds a Pad into the Conv that reads it, "
            + "so its pads must be constant: an initializer, a Constant node, or computed from constants alone (as torch.onnx.export writes F.pad's pads). "
            + "Pad by a fixed amount: nn.ZeroPad2d(p) with one p, or the Conv's own padding=p, or export at opset 10, where a Pad's pads are an attribute.");

    /// <summary>The one float of a Pad's constant_value.</summary>
    private static float Scalar(TensorProto constant, NodeAttributes a) =>
        OnnxTensors.Floats(constant, a.Where) is [float v] ? v
            : throw new OnnxImportException($"{a.Where}: its constant_value '{constant.Name}' holds {constant.Dims.Aggregate(1L, (n, d) => n * d)} values; ONNX's is one.");

    /// <summary>Refuses a Pad whose output is read by anything but one Conv, as its input X: its zeros become that Conv's padding.</summary>
    private static void RequireOneConv(NodeProto node, NodeAttributes a, GraphProto graph)
    {
        string output = node.Output[0];
        var readers = graph.Node.Select((n, i) => (Node: n, Where: new NodeAttributes(n, i).Where)).Where(r => r.Node.Input.Contains(output)).ToArray();
        string? why = graph.Output.Any(o => o.Name == output) ? "it is the graph's output"
            : readers.Length != 1 ? $"{readers.Length} nodes read it{(readers.Length > 0 ? $" ({string.Join(", ", readers.Select(r => r.Where))})" : "")}"
            : readers[0].Node.OpType != "Conv" ? $"{readers[0].Where} reads it{PoolingPadding(readers[0].Node.OpType)}"
            : readers[0].Node.Input[0] != output ? $"{readers[0].Where} reads it as its weights or bias, not as its input X"
            : null;
        if (why is not null)
            throw new OnnxImportException($"{a.Where}: its output '{output}' must be read by one Conv, which the import pads instead, but {why}; {Supported}. "
                + "Give the padding to the node that reads the Pad's output (its own pads) where that computes the same, or leave the Pad out.");
    }

    /// <summary>Why a pooling's own padding is no place for a Pad's zeros, for a message; empty for another operator.</summary>
    private static string PoolingPadding(string op) => op switch
    {
        "MaxPool" => " (a max pooling's own padding is −∞, which never wins a window; zeros would win every window of negative values that reaches them)",
        "AveragePool" => " (an average pooling's mean over a window that reaches the zeros counts them, where its own padding counts or not by count_include_pad; "
            + "the runtime's average pooling pads no window)",
        _ => "",
    };
}
