using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A graph's weights: its initializers, its Constant nodes, the int8 tensors its DequantizeLinear nodes make of
/// initializers (ONNX's weight-only quantization), Reshapes of constants by constant shapes (<see cref="WeightReshape"/>), the
/// int64 tensors computed from constants alone (<see cref="ConstantFolding"/>: a Pad's pads as torch writes them), and Identity nodes of any of those (other names for the same weight), by name. A tensor computed from the graph's input is
/// not a weight.
/// </summary>
internal sealed class GraphWeights
{
    private readonly Dictionary<string, TensorProto> _constants = [];
    private readonly Dictionary<string, WeightTensor> _dequantized = [];

    /// <summary>The initializers of <paramref name="graph"/>.</summary>
    public GraphWeights(GraphProto graph)
    {
        foreach (TensorProto t in graph.Initializer) _constants[t.Name] = t;
    }

    /// <summary>Takes in a Constant node, a DequantizeLinear of an initializer, a Reshape of a constant by a constant shape,
    /// an int64 tensor computed from constants, or an Identity of a weight, as a weight; false for any other node (a step of the chain).</summary>
    public bool TryAdd(NodeProto node, NodeAttributes a)
    {
        if (node.OpType == "Constant")
        {
            AddConstant(node, a);
            return true;
        }
        if (node.OpType == "DequantizeLinear" && node.Input.Count > 0 && _constants.ContainsKey(node.Input[0]))
        {
            _dequantized[node.Output[0]] = Dequantize(node, a);
            return true;
        }
        if (WeightReshape.Reads(node, _constants.ContainsKey))
        {
            _constants[node.Output[0]] = WeightReshape.Reshaped(_constants[node.Input[0]], _constants[node.Input[1]], node.Output[0], a);
            return true;
        }
        if (ConstantFolding.Reads(node, name => Constant(name)?.DataType))
        {
            _constants[node.Output[0]] = ConstantFolding.Folded(node, Constant, a);
            return true;
        }
        if (IsAlias(node, IsWeight))
        {
            a.AllowOnly();
            string weight = node.Input[0];
            if (_constants.TryGetValue(weight, out TensorProto? t)) _constants[node.Output[0]] = t;
            else _dequantized[node.Output[0]] = _dequantized[weight];
            return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="node"/> is an Identity of a weight (<paramref name="isWeight"/>): another name for
    /// it. torch.onnx.export (1.13) stores initializers of equal values once and gives each other use an Identity of the one
    /// it kept, at the start of the graph: in eval mode the batch normalizations of an untrained network fold into Conv
    /// biases that are all zeros, so an untrained torchvision ResNet-18 starts with 16 such nodes.</summary>
    public static bool IsAlias(NodeProto node, Func<string, bool> isWeight) =>
        node.OpType == "Identity" && node.Input.Count == 1 && isWeight(node.Input[0]);

    /// <summary>The constant tensor named <paramref name="name"/> (a Reshape's shape, a Dropout's mode); null when computed.</summary>
    public TensorProto? Constant(string name) => _constants.GetValueOrDefault(name);

    /// <summary>The constant a node takes as its input <paramref name="input"/>, a parameter such as a Squeeze's axes or a Pad's
    /// pads (<paramref name="role"/> in messages); null when absent (an optional input left out).</summary>
    /// <exception cref="OnnxImportException">The input is computed in the graph.</exception>
    public TensorProto? ConstantInput(NodeProto node, int input, string role, NodeAttributes a)
    {
        string name = node.Input.Count > input ? node.Input[input] : "";
        if (name.Length == 0) return null;
        return Constant(name) ?? throw new OnnxImportException($"{a.Where}: its input {role} ('{name}') is computed in the graph; the import takes it only as a "
            + "constant (an initializer or a Constant node). Export the model with constant folding (torch.onnx.export's do_constant_folding=True, its default).");
    }

    /// <summary>A Squeeze's, Unsqueeze's or ReduceMean's axes: the attribute before the opset that made them input 1 (13, or 18
    /// for ReduceMean; <see cref="OperatorTable"/> refuses the other form), a constant input from it; null when not given.</summary>
    /// <exception cref="OnnxImportException">The input is computed in the graph.</exception>
    public long[]? Axes(NodeProto node, NodeAttributes a) =>
        a.Ints("axes") ?? (ConstantInput(node, 1, "axes", a) is { } constant ? OnnxTensors.Int64s(constant, a.Where) : null);

    /// <summary>The weight tensor a node takes as its input <paramref name="input"/>.</summary>
    public WeightTensor Of(NodeProto node, int input, NodeAttributes a)
    {
        if (node.Input.Count <= input || node.Input[input].Length == 0)
            throw new OnnxImportException($"{a.Where}: input {input} is missing.");
        return Of(node.Input[input], a);
    }

    /// <summary>Whether <paramref name="name"/> is a weight (an initializer, a Constant, a dequantized initializer, an
    /// Identity of one of those).</summary>
    public bool IsWeight(string name) => _constants.ContainsKey(name) || _dequantized.ContainsKey(name);

    /// <summary>The weight tensor named <paramref name="name"/>; a computed tensor is refused.</summary>
    public WeightTensor Of(string name, NodeAttributes a)
    {
        if (_dequantized.TryGetValue(name, out WeightTensor? q)) return q;
        if (!_constants.TryGetValue(name, out TensorProto? t))
            throw new OnnxImportException($"{a.Where}: '{name}' is computed in the graph; weights must be initializers (or a DequantizeLinear of one).");
        return new WeightTensor(t.Dims.ToArray(), OnnxTensors.Floats(t, a.Where), null, null, 0);
    }

    private void AddConstant(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("value");
        var value = node.Attribute.FirstOrDefault(x => x.Name == "value")?.T
            ?? throw new OnnxImportException($"{a.Where}: only a Constant with a tensor 'value' is supported.");
        if (value.Name.Length == 0) value.Name = node.Output[0];   // so messages about it can name it
        _constants[node.Output[0]] = value;
    }

    /// <summary>The int8 weights and scales of a DequantizeLinear over an initializer (zero point 0).</summary>
    private WeightTensor Dequantize(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("axis", "block_size");
        a.Require(a.Int("block_size", 0) == 0, "blocked quantization is not supported.");
        TensorProto x = _constants[node.Input[0]];
        if (x.DataType != (int)TensorProto.Types.DataType.Int8)
            throw new OnnxImportException($"{a.Where}: the weights are {OnnxTensors.TypeName(x.DataType)}; the runtime keeps int8 weights with zero point 0 (symmetric).");
        sbyte[] values = OnnxTensors.Int8s(x, a.Where);
        a.Require(node.Input.Count >= 2 && _constants.ContainsKey(node.Input[1]), "the scale must be an initializer.");
        float[] scales = OnnxTensors.Floats(_constants[node.Input[1]], a.Where);
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            a.Require(_constants.ContainsKey(node.Input[2]), "the zero point must be an initializer.");
            a.Require(OnnxTensors.Int8s(_constants[node.Input[2]], a.Where).All(z => z == 0), "the zero point must be 0 (symmetric quantization).");
        }
        long axis = a.Int("axis", 1);
        if (axis < 0) axis += x.Dims.Count;
        a.Require(scales.Length == 1 || axis >= 0 && axis < x.Dims.Count && scales.Length == x.Dims[(int)axis],
            $"expected one scale, or one per element of axis {axis} of the {string.Join("×", x.Dims)} weights; there are {scales.Length}.");
        return new WeightTensor(x.Dims.ToArray(), null, values, scales, (int)axis);
    }
}
