using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The element-wise activations of format 1.9 as exporters write them. HardSwish (opset 14) and HardSigmoid(α, β) are nodes
/// of their own; SiLU is x · σ(x), a Sigmoid of x and a Mul of x and its output (torch.onnx.export has no SiLU node), and
/// before opset 14 hardswish is x · HardSigmoid(x) with α = 1/6, β = 0.5. Such a pair, whose gate output the Mul alone
/// reads, is one runtime layer, made at the gate node; the Mul then makes nothing. A Sigmoid whose output something else
/// reads too, or one whose Mul multiplies another tensor (a squeeze-and-excitation gate: <see cref="ChannelScaleNodes"/>),
/// stays a Sigmoid, and so does a HardSigmoid of other α or β times its input: its Mul is then a ChannelScale where x is a
/// vector or a 1×1 image (one value per channel), and refused for a larger image.
/// </summary>
internal sealed class ActivationNodes
{
    private readonly HashSet<string> _gates = [];   // the Sigmoid and HardSigmoid nodes' outputs that one Mul multiplies by their input
    private readonly HashSet<NodeProto> _products = [];   // those Muls

    /// <summary>Finds the pairs in <paramref name="graph"/>: a Sigmoid, or a HardSigmoid with PyTorch's α and β, of x whose
    /// output y is read by one node only, a Mul of x and y in either order (and is not the graph's output).</summary>
    public ActivationNodes(GraphProto graph)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        var readers = graph.Node.SelectMany(n => n.Input.Distinct().Select(i => (Input: i, Node: n))).ToLookup(r => r.Input, r => r.Node);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto gate = graph.Node[i];
            bool gates = gate.OpType == "Sigmoid" || gate.OpType == "HardSigmoid" && IsPyTorchs(new NodeAttributes(gate, i));
            if (!gates || gate.Input.Count == 0) continue;
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
    /// HardSigmoid(α, β), or HardSwish when it is x · HardSigmoid(x) with PyTorch's α and β.</summary>
    public Layer HardSigmoid(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("alpha", "beta");
        float alpha = Alpha(a), beta = Beta(a);
        // The layer takes finite α and β only: a damaged attribute is named here, not thrown from its constructor.
        a.Require(float.IsFinite(alpha) && float.IsFinite(beta), $"alpha {alpha} and beta {beta} must be finite numbers (ONNX's defaults are 0.2 and 0.5).");
        return _gates.Contains(node.Output[0]) ? new HardSwishLayer() : new HardSigmoidLayer(alpha, beta);
    }

    /// <summary>The layer for a LeakyRelu node: its alpha attribute (ONNX's default 0.01, PyTorch's too) as the slope.</summary>
    public static LeakyReluLayer LeakyRelu(NodeAttributes a)
    {
        a.AllowOnly("alpha");
        float alpha = a.Float("alpha", LeakyReluLayer.DefaultAlpha);
        // The layer takes a finite α only: a damaged attribute is named here, not thrown from its constructor.
        a.Require(float.IsFinite(alpha), $"alpha {alpha} must be a finite number (ONNX's default is 0.01).");
        return new LeakyReluLayer(alpha);
    }

    private static float Alpha(NodeAttributes a) => a.Float("alpha", 0.2f);

    private static float Beta(NodeAttributes a) => a.Float("beta", 0.5f);

    /// <summary>PyTorch's hardsigmoid, relu6(x + 3) / 6: α = 1/6 (written as the float nearest it), β = 0.5.</summary>
    private static bool IsPyTorchs(NodeAttributes a) => Alpha(a) == HardSigmoidLayer.PyTorchAlpha && Beta(a) == HardSigmoidLayer.PyTorchBeta;

    /// <summary>Whether <paramref name="node"/> is the Mul of such a pair, whose layer its gate node made.</summary>
    public bool EndsPair(NodeProto node) => _products.Contains(node);
}
