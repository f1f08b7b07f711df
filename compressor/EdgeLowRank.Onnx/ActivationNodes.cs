using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The element-wise activations of format 1.9 as exporters write them. HardSwish (opset 14) and HardSigmoid(α, β) are nodes
/// of their own; SiLU is x · σ(x), a Sigmoid of x and a Mul of x and its output (torch.onnx.export has no SiLU node), and
/// before opset 14 hardswish is x · HardSigmoid(x) with α = 1/6, β = 0.5. Such a pair, whose gate output the Mul alone
/// reads, is one runtime layer, made at the gate node; the Mul then makes nothing. A Sigmoid whose output something else
/// reads too, or one whose Mul multiplies another tensor (a squeeze-and-excitation gate: <see cref="ChannelScaleNodes"/>),
/// stays a Sigmoid.
/// </summary>
internal sealed class ActivationNodes
{
    private readonly HashSet<string> _gates = [];   // the Sigmoid and HardSigmoid nodes' outputs that one Mul multiplies by their input
    private readonly HashSet<NodeProto> _products = [];   // those Muls

    /// <summary>Finds the pairs in <paramref name="graph"/>: a Sigmoid or HardSigmoid of x whose output y is read by one node
    /// only, a Mul of x and y in either order (and is not the graph's output).</summary>
    public ActivationNodes(GraphProto graph)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        var readers = graph.Node.SelectMany(n => n.Input.Distinct().Select(i => (Input: i, Node: n))).ToLookup(r => r.Input, r => r.Node);
        foreach (NodeProto gate in graph.Node.Where(n => n.OpType is "Sigmoid" or "HardSigmoid" && n.Input.Count > 0 && n.Output.Count > 0))
        {
            string x = gate.Input[0], y = gate.Output[0];
            if (!outputs.Contains(y) && readers[y].ToArray() is [{ OpType: "Mul" } mul] && mul.Input.Count == 2 && mul.Input.Contains(x) && mul.Input.Contains(y) && x != y)
            {
                _gates.Add(y);
                _products.Add(mul);
            }
        }
    }

    /// <summary>The layer for the Sigmoid <paramref name="node"/>: SiLU when a Mul multiplies its output by its input, else a Sigmoid.</summary>
    public Layer Sigmoid(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly();
        return _gates.Contains(node.Output[0]) ? new SiluLayer() : new SigmoidLayer();
    }

    /// <summary>The layer for the HardSigmoid <paramref name="node"/> (α and β attributes, ONNX's defaults 0.2 and 0.5): a
    /// HardSigmoid(α, β), or HardSwish when a Mul multiplies its output by its input and α, β are PyTorch's.</summary>
    /// <exception cref="OnnxImportException">x · HardSigmoid(x) with other α or β: the runtime has no such product.</exception>
    public Layer HardSigmoid(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("alpha", "beta");
        float alpha = a.Float("alpha", 0.2f), beta = a.Float("beta", 0.5f);
        if (!_gates.Contains(node.Output[0])) return new HardSigmoidLayer(alpha, beta);
        a.Require(alpha == HardSigmoidLayer.PyTorchAlpha && beta == HardSigmoidLayer.PyTorchBeta, $"a Mul multiplies its output by its input, x · HardSigmoid(x), which is hardswish only with "
            + $"alpha 1/6 and beta 0.5 (PyTorch's); this one has alpha {alpha:R} and beta {beta:R}, and the runtime multiplies two tensors of one shape "
            + "in no other way: write hardswish (HardSwish from opset 14), or use a HardSigmoid whose output the next layers read.");
        return new HardSwishLayer();
    }

    /// <summary>Whether <paramref name="node"/> is the Mul of such a pair, whose layer its gate node made.</summary>
    public bool EndsPair(NodeProto node) => _products.Contains(node);
}
