using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// Residual connections between ONNX and the runtime. In ONNX an identity shortcut (ResNet's basic block, MobileNet v2's
/// inverted residual) is an Add of two computed tensors: the chain's current tensor and an earlier tensor of the chain.
/// The runtime's <see cref="AddLayer"/> adds an earlier activation, numbered along the chain (0 the input, j the output of
/// layer j − 1). The import folds and fuses nodes (a bias, a batch normalization, a Relu, a second factor join the layer
/// before them), so an ONNX tensor is not always a runtime activation: wherever the chain reaches a tensor a residual Add
/// reads, the walk finishes the layer that made it (nothing joins it afterwards) and records here which activation the
/// tensor is, or why it is none. A shortcut with nodes of its own (a projection: ResNet's 1×1 Conv and batch
/// normalization where a block changes its shape) is a branch, which the runtime's chain cannot hold.
/// </summary>
internal sealed class ResidualNodes
{
    /// <summary>What a refused shortcut should become, for messages.</summary>
    public const string IdentityOnly = "the runtime adds an earlier activation unchanged (an identity shortcut, as in ResNet's basic blocks of "
        + "one shape and MobileNet v2's inverted residuals); a shortcut with nodes of its own (a projection: ResNet's 1×1 Conv and "
        + "BatchNormalization where a block changes its shape or stride) has no runtime layer: keep each residual block's channels and stride, "
        + "so that its shortcut is the identity";

    private readonly HashSet<string> _operands = [];           // the tensors residual Adds read
    private readonly HashSet<string> _chain = [];              // every tensor the chain has been at
    private readonly Dictionary<string, Operand> _activations = []; // the operands the chain reached: their activation, or why none

    /// <summary>Finds the residual Adds of <paramref name="graph"/>: Add or Sum nodes with two or more computed inputs
    /// (not initializers, Constant nodes, or DequantizeLinear nodes over those).</summary>
    public ResidualNodes(GraphProto graph)
    {
        var constants = graph.Initializer.Select(t => t.Name).ToHashSet();
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType == "Constant" || node.OpType == "DequantizeLinear" && node.Input.Count > 0 && constants.Contains(node.Input[0]))
                constants.UnionWith(node.Output);
            string[] computed = Computed(node, constants.Contains);
            if (node.OpType is "Add" or "Sum" && computed.Length >= 2) _operands.UnionWith(computed);
        }
    }

    /// <summary>Whether <paramref name="node"/> is read as a residual connection: a Sum, or an Add of two computed tensors
    /// (an Add of a constant is a bias or a normalization).</summary>
    public static bool Reads(NodeProto node, GraphWeights weights) =>
        node.OpType == "Sum" || node.OpType == "Add" && Computed(node, weights.IsWeight).Length >= 2;

    /// <summary>Notes that the chain is at <paramref name="tensor"/>; true when a residual Add reads it, so the walk must
    /// finish the layer that made it and <see cref="Record"/> it.</summary>
    public bool Reach(string tensor)
    {
        _chain.Add(tensor);
        return _operands.Contains(tensor);
    }

    /// <summary>Records that <paramref name="tensor"/>, which a residual Add reads, is the runtime's activation
    /// <paramref name="index"/> of <paramref name="shape"/>; or, with <paramref name="notAnActivation"/>, why the runtime
    /// model has no such activation.</summary>
    public void Record(string tensor, int index, TensorShape shape, string? notAnActivation) =>
        _activations[tensor] = new Operand(index, shape, notAnActivation);

    /// <summary>Whether <paramref name="tensor"/> is one the chain has been at (for a node that reads it later: a branch).</summary>
    public bool OnChain(string tensor) => _chain.Contains(tensor);

    /// <summary>Whether a residual Add reads <paramref name="tensor"/>.</summary>
    public bool IsOperand(string tensor) => _operands.Contains(tensor);

    /// <summary>The layer for the residual Add or Sum <paramref name="node"/>, whose chain input is <paramref name="current"/>
    /// (activation <paramref name="layerIndex"/>).</summary>
    /// <exception cref="OnnxImportException">Anything but the chain's tensor plus an earlier activation of the same shape.</exception>
    public AddLayer Read(NodeProto node, NodeAttributes a, string current, int layerIndex, GraphWeights weights)
    {
        string[] computed = Computed(node, weights.IsWeight);
        a.Require(computed.Length <= 2, $"it adds {computed.Length} computed tensors ({string.Join(", ", computed)}); the runtime's Add adds one earlier "
            + "activation to the chain's tensor: write it as Adds of two tensors ((a + b) + c).");
        a.Require(computed.Length == 2 && node.Input.Count == 2, $"a {node.OpType} is read only as a residual connection: two computed tensors, the "
            + $"chain's and an earlier one; this one has {node.Input.Count} inputs, {computed.Length} of them computed.");
        string skip = computed[0] == current ? computed[1] : computed[0];
        a.Require(skip != current, $"it adds '{current}' to itself; a residual connection adds an earlier tensor of the chain.");
        Operand chain = _activations[current], source = _activations.TryGetValue(skip, out Operand found)
            ? found
            : throw new OnnxImportException($"{a.Where}: '{skip}' is not a tensor of the chain of nodes from the input; {IdentityOnly}.");
        a.Require(chain.NotAnActivation is null, $"its input '{current}' is {chain.NotAnActivation}.");
        a.Require(source.NotAnActivation is null, $"its skip input '{skip}' is {source.NotAnActivation}.");
        a.Require(source.Index < layerIndex, $"'{skip}' and '{current}' are the same tensor (only nodes that make no runtime layer between them: an Identity, a Dropout, a Flatten or Reshape of a vector); "
            + "a residual connection adds an earlier tensor of the chain.");
        a.Require(source.Shape == chain.Shape, $"it adds '{skip}' ({Describe(source.Shape)}) to '{current}' ({Describe(chain.Shape)}): ONNX broadcasts "
            + $"tensors of different shapes, but the runtime's Add takes two of the same shape; {IdentityOnly}.");
        return new AddLayer(source.Index);
    }

    /// <summary>Whether an <see cref="AddLayer"/> reads any activation from the output of the channels-first flatten at
    /// <paramref name="flatten"/> to the input of the next matrix layer: the export writes such a flatten in ONNX's
    /// (c, h, w) order and lets that matrix layer take its rows so, which an Add with a vector in the runtime's order would
    /// mismatch; with such an Add the flatten keeps the runtime's (h, w, c) order instead.</summary>
    public static bool ReadAfterFlatten(Model model, int flatten)
    {
        int matrix = flatten + 1;
        while (matrix < model.Layers.Count && model.Layers[matrix] is not (DenseLayer or FactorizedDenseLayer)) matrix++;
        // Activations flatten + 1 … matrix are in ONNX's order: an Add reads one if it is among them or adds one of them.
        return model.Layers.Select((layer, i) => (layer, i))
            .Any(x => x.layer is AddLayer add && (x.i > flatten && x.i <= matrix || add.Source > flatten && add.Source <= matrix));
    }

    private static string[] Computed(NodeProto node, Func<string, bool> isConstant) =>
        node.Input.Where(i => i.Length > 0 && !isConstant(i)).ToArray();

    private static string Describe(TensorShape shape) => $"batch × {string.Join(" × ", ChannelsFirst.OnnxShape(shape))}";

    /// <summary>A tensor a residual Add reads: the runtime activation it is, or why it is none.</summary>
    private readonly record struct Operand(int Index, TensorShape Shape, string? NotAnActivation);
}
