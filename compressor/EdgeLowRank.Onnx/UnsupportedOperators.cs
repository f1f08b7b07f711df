using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The graph's operators that this import reads nowhere, found before the walk, so that the first message names the
/// operator the runtime lacks rather than a node before it that the walk stops at only for where it stands: torch.onnx.export
/// writes nn.GELU as Div (by √2), Erf, Add, Mul, Mul, and the walk, reading in order, would refuse the Div (a Div of a
/// constant is taken only before the first layer) before it ever saw the Erf. As ONNX Runtime and the TFLite converter do,
/// the message names each unsupported operator the graph holds, not only the first.
/// </summary>
internal static class UnsupportedOperators
{
    private static string Activations => OperatorTable.Activations;

    /// <summary>Refuses <paramref name="graph"/> when a default-domain node's operator is none the import reads, but for the
    /// nodes it evaluates on constants alone (<see cref="ConstantFolding"/>: torch's ConstantOfShape in a Pad's pads): the
    /// first such node named (an Erf or Gelu before any other, as GELU, then an If, as torch's squeeze of a dynamic axis; the
    /// Pad whose pads it computes, if it does), the
    /// others listed after it.</summary>
    /// <param name="graph">The graph.</param>
    /// <exception cref="OnnxImportException">Such a node.</exception>
    public static void Refuse(GraphProto graph)
    {
        var (folded, constants) = ConstantFolding.Scan(graph);
        var unknown = graph.Node.Select((node, index) => (Node: node, Index: index))
            .Where(n => n.Node.Domain is "" or "ai.onnx" && !OperatorTable.Reads(n.Node.OpType) && !folded.Contains(n.Index)).ToArray();
        if (unknown.Length == 0) return;
        // GELU's Erf, then an If, before any other: the nodes before them (a Div, an Equal) are only their way there.
        var (first, index) = unknown.OrderBy(n => n.Node.OpType switch { "Erf" or "Gelu" => 0, "If" => 1, _ => 2 }).First();
        string where = new NodeAttributes(first, index).Where;
        // torch's chain for a Pad's pads, reached by the input (F.pad by x.size(…) of a dynamic size): the Pad is what to change.
        bool fromInput = ConstantFolding.Computes(first.OpType) && first.Input.Any(i => i.Length > 0 && !constants.ContainsKey(i));
        if (fromInput && PadNodes.PadsComputedBy(graph, index) is { } pad) throw pad;
        string message = first.OpType switch
        {
            "Gelu" => $"{where}: GELU is not supported; the runtime's activations are {Activations}. Train the network with one of them "
                + "(nn.SiLU is the closest in shape to nn.GELU) and export it again.",
            "Erf" when GeluDivision(graph, first) is { } division =>
                $"{where}: GELU is not supported: this Erf is nn.GELU as torch.onnx.export writes it, x·0.5·(1 + erf(x/√2)) (Div by √2 at "
                + $"{division}, then Erf, Add, Mul, Mul), and the runtime has no Erf or GELU. Its activations are {Activations}: train the network "
                + "with one of them (nn.SiLU is the closest in shape to nn.GELU) and export it again.",
            "Erf" => $"{where}: the operator Erf (the error function, which GELU computes as x·0.5·(1 + erf(x/√2))) is not supported: the runtime "
                + $"has no Erf or GELU. Its activations are {Activations}.",
            "If" => $"{where}: the operator If (a branch chosen as the graph runs) is not supported. torch.onnx.export writes x.squeeze(d) "
                + "this way when the size of axis d is left dynamic (dynamic_axes, or the batch's axis 0): it checks the size as the model runs. "
                + "Squeeze only axes of a fixed size 1 (x.squeeze(-1) after a global pooling), or flatten instead (torch.flatten(x, 1)).",
            _ => $"{where}: the operator {first.OpType} is not supported; supported: {OperatorTable.Supported}.",
        };
        var others = unknown.Where(n => n.Node.OpType != first.OpType).GroupBy(n => n.Node.OpType)
            .Select(g => $"{g.Key} ({Named(g.First().Node, g.First().Index)}{(g.Count() > 1 ? $" and {g.Count() - 1} more" : "")})").ToArray();
        if (others.Length > 0) message += $" The graph holds other operators the import does not support either: {string.Join(", ", others)}.";
        throw new OnnxImportException(message);
    }

    /// <summary>Where GELU's division by √2 (or multiplication by 1/√2) that <paramref name="erf"/> reads is ("node 3
    /// '/net/net.2/Div'"), or null when its input is no such node.</summary>
    private static string? GeluDivision(GraphProto graph, NodeProto erf)
    {
        if (erf.Input.Count == 0) return null;
        int index = graph.Node.ToList().FindIndex(n => n.Output.Contains(erf.Input[0]));
        if (index < 0 || graph.Node[index] is not { OpType: "Div" or "Mul", Input.Count: 2 } node) return null;
        // The constants as the walk reads them (a repeated initializer name: the last wins). Only Constants of a tensor
        // 'value' are taken in: the walk refuses any other with its own message, which this check must not pre-empt.
        var weights = new GraphWeights(graph);
        for (int i = 0; i < graph.Node.Count; i++)
            if (graph.Node[i] is { OpType: "Constant", Output.Count: 1, Attribute: [{ Name: "value" }] } c) weights.TryAdd(c, new NodeAttributes(c, i));
        double expected = node.OpType == "Div" ? Math.Sqrt(2) : 1 / Math.Sqrt(2);
        bool gelu = node.Input.Any(i => weights.Constant(i) is { DataType: (int)TensorProto.Types.DataType.Float } t
            && OnnxTensors.Floats(t, Named(node, index)) is [float v] && Math.Abs(v - expected) < 1e-3);
        return gelu ? Named(node, index) : null;
    }

    /// <summary>"node 3 '/net/net.2/Div'": a node named without its operator, which the message gives beside it.</summary>
    private static string Named(NodeProto node, int index) => $"node {index} '{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "")}'";
}
