using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// Residual connections between ONNX and the runtime. In ONNX a shortcut is an Add of two computed tensors: the chain's
/// current tensor and an earlier tensor of the chain (an identity shortcut: ResNet's basic block of one shape, MobileNet
/// v2's inverted residual), or the outputs of two paths from one tensor (a projection: ResNet's 1×1 Conv and batch
/// normalization where a block changes its shape). The runtime's <see cref="AddLayer"/> adds an earlier activation,
/// numbered along the chain (0 the input, j the output of layer j − 1), and its <see cref="BranchLayer"/> continues the
/// chain from an earlier activation, so a projection is the main path, a Branch to the block's input, the shortcut's
/// layers and an Add of the main path's output, in whichever order the nodes come. The import folds and fuses nodes (a
/// bias, a batch normalization, a Relu, a second factor join the layer before them), so an ONNX tensor is not always a
/// runtime activation: wherever the chain reaches a tensor that a residual Add or a second node reads, the walk finishes
/// the layer that made it (nothing joins it afterwards) and records here which activation the tensor is, or why it is none.
/// A Concat of computed tensors joins paths the same way (<see cref="ConcatNodes"/>): its inputs are activations recorded
/// here, and a Branch may leave a tensor for a Concat to join as for an Add.
/// </summary>
internal sealed class ResidualNodes
{
    /// <summary>What the runtime takes as a shortcut, for messages.</summary>
    public const string Shortcuts = "the runtime adds an earlier activation to the chain's tensor of the same shape: an identity shortcut, "
        + "or a shortcut with nodes of its own that starts from an earlier tensor of the chain and ends in the Add (a projection, as ResNet's downsample)";

    private readonly HashSet<string> _shared = [];             // the tensors a join (a residual Add, a Concat) or more than one node reads
    private readonly Dictionary<string, int> _lastJoin = [];   // per tensor a join reads, the index of the last such node
    private readonly Dictionary<string, Operand> _activations = []; // the shared tensors the chain reached: their activation, or why none
    private readonly HashSet<string> _unjoined = [];           // the tensors the chain left by a Branch that no join has read yet

    /// <summary>Finds the tensors of <paramref name="graph"/> that must be runtime activations: the computed inputs (not
    /// initializers, Constant nodes, or DequantizeLinear, Identity or Reshape nodes over those) of joins (Add, Sum or Mul nodes with two
    /// or more of them, but the Muls of x·σ(x) and x·HardSigmoid(x), which <paramref name="isActivation"/> names; Concat nodes of
    /// any but shapes), and those more than one node reads (where a path with nodes of its own starts).</summary>
    public ResidualNodes(GraphProto graph, Func<NodeProto, bool> isActivation)
    {
        var constants = graph.Initializer.Select(t => t.Name).ToHashSet();
        var shapes = new HashSet<string>();   // what Shape nodes and the nodes after them compute: a Reshape's shape, no path
        var readers = new Dictionary<string, int>();
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            if (node.OpType == "Constant" || node.OpType == "DequantizeLinear" && node.Input.Count > 0 && constants.Contains(node.Input[0])
                || GraphWeights.IsAlias(node, constants.Contains) || WeightReshape.Reads(node, constants.Contains))
                constants.UnionWith(node.Output);
            if (ShapeValues.Computes(node, shapes.Contains))
                shapes.UnionWith(node.Output);
            string[] computed = Computed(node, t => constants.Contains(t) || shapes.Contains(t));
            if (node.OpType is "Add" or "Sum" && computed.Length >= 2 || node.OpType == "Mul" && computed.Length >= 2 && !isActivation(node)
                || node.OpType == "Concat" && !shapes.Contains(node.Output[0]))
                foreach (string operand in computed) _lastJoin[operand] = i;
            // A Shape reads only the dimensions (x.size(0) for a flatten): not a second path. A Split reads its input once per
            // output: each part is a slice of its own, the later ones after a Branch back to the input. A DynamicQuantizeLinear
            // reads its input once per product of its values: each is a layer that quantizes that input itself, on a path of its own.
            int reads = node.OpType == "Split" ? node.Output.Count : node.OpType == "DynamicQuantizeLinear" ? DynamicProductNodes.Products(graph, node) : 1;
            if (node.OpType != "Shape")
                foreach (string input in computed.Distinct()) readers[input] = readers.GetValueOrDefault(input) + reads;
        }
        _shared.UnionWith(_lastJoin.Keys);
        _shared.UnionWith(readers.Where(r => r.Value > 1).Select(r => r.Key));
    }

    /// <summary>Whether <paramref name="node"/> is read as a residual connection: a Sum, or an Add of two computed tensors
    /// (an Add of a constant is a bias or a normalization).</summary>
    public static bool Reads(NodeProto node, GraphWeights weights) =>
        node.OpType == "Sum" || node.OpType == "Add" && Computed(node, weights.IsWeight).Length >= 2;

    /// <summary>Whether a join (a residual Add, a Concat) or more than one node reads <paramref name="tensor"/>: when the
    /// chain reaches it, the walk must finish the layer that made it and <see cref="Record"/> it.</summary>
    public bool IsShared(string tensor) => _shared.Contains(tensor);

    /// <summary>Records that <paramref name="tensor"/>, which a join or more than one node reads, is the runtime's
    /// activation <paramref name="index"/> of <paramref name="shape"/>; or, with <paramref name="notAnActivation"/>, why the
    /// runtime model has no such activation.</summary>
    public void Record(string tensor, int index, TensorShape shape, string? notAnActivation) =>
        _activations[tensor] = new Operand(index, shape, notAnActivation);

    /// <summary>Of the computed inputs <paramref name="inputs"/> of a node that does not read the chain's tensor, the earlier
    /// tensor of the chain it continues from (for a join of such tensors, one that no other join must read); null when none
    /// is a tensor the chain reached.</summary>
    /// <exception cref="OnnxImportException">A join of tensors that earlier branches all left for joins to read.</exception>
    public string? BranchTarget(IReadOnlyList<string> inputs, NodeAttributes a)
    {
        string[] reached = inputs.Where(_activations.ContainsKey).ToArray();
        if (reached.Length == 0) return null;
        return reached.FirstOrDefault(t => !_unjoined.Contains(t)) ?? throw new OnnxImportException($"{a.Where}: it joins {string.Join(" and ", reached.Select(t => $"'{t}'"))}, "
            + "all ends of paths that earlier nodes left for an Add or a Concat to join back, and the runtime's Add and Concat join one earlier activation to the "
            + "chain's tensor, which would have to be one of these: order the nodes so that each join comes right after the path it ends ((f(x) + g(x)) + h(x) "
            + "computes f, g, their sum, then h).");
    }

    /// <summary>The activation a Branch at node <paramref name="nodeIndex"/> continues from: <paramref name="target"/>'s;
    /// the chain leaves <paramref name="current"/>, activation <paramref name="layerIndex"/>, which a later Add or Concat must
    /// join. Null when <paramref name="target"/> is that activation too (only an Identity or a Dropout between them): no Branch.</summary>
    /// <exception cref="OnnxImportException"><paramref name="target"/> is no runtime activation, or no later Add or Concat
    /// reads <paramref name="current"/>.</exception>
    public int? Branch(string target, string current, int nodeIndex, int layerIndex, NodeAttributes a)
    {
        Operand source = _activations[target];
        string reads = $"it reads '{target}', an earlier tensor of the chain, not the chain's tensor '{current}'";
        a.Require(source.NotAnActivation is null, $"{reads}, and '{target}' is {source.NotAnActivation}.");
        if (source.Index == layerIndex) return null;
        a.Require(_lastJoin.GetValueOrDefault(current, -1) > nodeIndex, $"{reads}; the runtime continues from an earlier tensor (a Branch) only "
            + $"where a later Add, Concat or ChannelScale (a Mul by a gate of one value per channel) joins back the tensor it leaves, and no Add, Concat "
            + $"or Mul after this node reads '{current}': a Split or any other join or division of paths has no runtime layer; {Shortcuts}; {ConcatNodes.Joins}.");
        _unjoined.Add(current);
        return source.Index;
    }

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
        Operand chain = Activation(current, "its input", Shortcuts, a), source = Activation(skip, "its skip input", Shortcuts, a);
        a.Require(source.Index < layerIndex, $"'{skip}' and '{current}' are the same tensor (only nodes that make no runtime layer between them: an Identity, a Dropout, a Flatten or Reshape of a vector); "
            + "a residual connection adds an earlier tensor of the chain.");
        a.Require(source.Shape == chain.Shape, $"it adds '{skip}' ({Describe(source.Shape)}) to '{current}' ({Describe(chain.Shape)}): ONNX broadcasts "
            + $"tensors of different shapes, but the runtime's Add takes two of the same shape; {Shortcuts}: give the shortcut the block's shape (a 1×1 "
            + "Conv of the block's stride, as ResNet's downsample).");
        _unjoined.Remove(skip);
        return new AddLayer(source.Index);
    }

    /// <summary>The activation that <paramref name="tensor"/>, an input of a Concat or the earlier input of a ChannelScale, is
    /// (its index and shape), now joined: a Branch that left it has its end; <paramref name="joins"/> says in messages what the
    /// runtime takes.</summary>
    /// <exception cref="OnnxImportException"><paramref name="tensor"/> is no runtime activation.</exception>
    public (int Index, TensorShape Shape) Joined(string tensor, string joins, NodeAttributes a)
    {
        Operand operand = Activation(tensor, "its input", joins, a);
        _unjoined.Remove(tensor);
        return (operand.Index, operand.Shape);
    }

    /// <summary>The activation <paramref name="tensor"/>, a join's input (its <paramref name="role"/> in messages), is.</summary>
    /// <exception cref="OnnxImportException">The chain never reached <paramref name="tensor"/> (<paramref name="joins"/> says
    /// which joins the runtime has), or it is no runtime activation.</exception>
    private Operand Activation(string tensor, string role, string joins, NodeAttributes a)
    {
        if (!_activations.TryGetValue(tensor, out Operand operand))
            throw new OnnxImportException($"{a.Where}: '{tensor}' is not a tensor of the chain of nodes from the input; {joins}.");
        a.Require(operand.NotAnActivation is null, $"{role} '{tensor}' is {operand.NotAnActivation}.");
        return operand;
    }

    /// <summary>Whether an <see cref="AddLayer"/>, a <see cref="ConcatLayer"/>, a <see cref="ChannelScaleLayer"/> or a <see cref="BranchLayer"/> reads any
    /// activation from the output of the channels-first flatten at <paramref name="flatten"/> to the input of the next matrix
    /// layer, or a <see cref="ChannelSliceLayer"/> or <see cref="ChannelShuffleLayer"/> takes one: the export writes such a
    /// flatten in ONNX's (c, h, w) order and lets that matrix layer take its rows so, which a join with a vector in the
    /// runtime's order, a path's own matrix layer, or a slice or shuffle of the runtime's features would mismatch; with such
    /// a reader the flatten keeps the runtime's (h, w, c) order instead.</summary>
    public static bool ReadAfterFlatten(Model model, int flatten)
    {
        int matrix = flatten + 1;
        while (matrix < model.Layers.Count && model.Layers[matrix] is not (DenseLayer or FactorizedDenseLayer)) matrix++;
        // Activations flatten + 1 … matrix are in ONNX's order: a join reads one if it is among them or joins one of them; a
        // Branch, if it continues from one (a Branch among them leaves one, which a join then reads).
        bool InOnnxOrder(int activation) => activation > flatten && activation <= matrix;
        return model.Layers.Select((layer, i) => (layer, i)).Any(x => x.layer switch
        {
            AddLayer add => InOnnxOrder(x.i) || InOnnxOrder(add.Source),
            ConcatLayer concat => InOnnxOrder(x.i) || InOnnxOrder(concat.Source),
            ChannelScaleLayer scale => InOnnxOrder(x.i) || InOnnxOrder(scale.Source),
            BranchLayer branch => InOnnxOrder(branch.Source),
            ChannelSliceLayer or ChannelShuffleLayer => InOnnxOrder(x.i),
            _ => false,
        });
    }

    private static string[] Computed(NodeProto node, Func<string, bool> isConstant) =>
        node.Input.Where(i => i.Length > 0 && !isConstant(i)).ToArray();

    /// <summary>A tensor's shape as ONNX has it, for messages: "batch × C × H × W".</summary>
    internal static string Describe(TensorShape shape) => $"batch × {string.Join(" × ", ChannelsFirst.OnnxShape(shape))}";

    /// <summary>A tensor a residual Add or more than one node reads: the runtime activation it is, or why it is none.</summary>
    private readonly record struct Operand(int Index, TensorShape Shape, string? NotAnActivation);
}
