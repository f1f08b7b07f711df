using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The int64 tensors a graph computes from constants alone, evaluated as the graph is read: they are parameters (a Pad's
/// pads, a Reshape's shape, a Slice's bounds), not steps. torch.onnx.export (1.13) writes F.pad's pads at opset 11 and later
/// as such a chain instead of one constant: ConstantOfShape (zeros for the batch and channels), Concat with the pads as
/// torch orders them, Reshape to pairs, Slice with step −1 (the axes reversed), Transpose, Reshape to a vector and Cast,
/// giving ONNX's order, every beginning then every end. Only int64 tensors are computed: a float one would be a weight
/// made in the graph, which an exporter folds before writing it.
/// </summary>
internal static class ConstantFolding
{
    private static readonly HashSet<string> Operators = ["ConstantOfShape", "Concat", "Slice", "Transpose", "Cast", "Unsqueeze", "Squeeze", "Gather"];

    /// <summary>Whether <paramref name="op"/> is an operator evaluated here, on constants alone.</summary>
    public static bool Computes(string op) => Operators.Contains(op);

    /// <summary>Whether <paramref name="node"/> computes an int64 tensor from int64 constants alone:
    /// <paramref name="constantType"/> gives a constant's element type, or null for a tensor computed from the input.</summary>
    public static bool Reads(NodeProto node, Func<string, int?> constantType) =>
        Operators.Contains(node.OpType) && node.Input.Count > 0 && node.Input.All(i => i.Length == 0 || constantType(i) == (int)DataType.Int64)
        && node.OpType switch
        {
            "ConstantOfShape" => node.Attribute.FirstOrDefault(x => x.Name == "value")?.T?.DataType == (int)DataType.Int64,
            "Cast" => node.Attribute.FirstOrDefault(x => x.Name == "to")?.I == (long)DataType.Int64,
            _ => true,
        };

    /// <summary>The nodes of <paramref name="graph"/> the walk evaluates here (by index), found before it: their operators
    /// need no layer (ConstantOfShape has none), so the check for unsupported operators passes over them; and the element
    /// type of each constant tensor (initializers, Constant nodes, and what is computed from them), by name.</summary>
    public static (HashSet<int> Folded, IReadOnlyDictionary<string, int> Constants) Scan(GraphProto graph)
    {
        var types = new Dictionary<string, int>();
        foreach (TensorProto t in graph.Initializer) types[t.Name] = t.DataType;   // a repeated name: the last wins, as in the walk
        var folded = new HashSet<int>();
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            int? Type(string name) => types.TryGetValue(name, out int t) ? t : null;
            int? output = node.OpType switch
            {
                "Constant" => node.Attribute.FirstOrDefault(x => x.Name == "value")?.T?.DataType,
                "Reshape" or "Identity" when node.Input.Count > 0 && node.Input.Skip(1).All(n => Type(n) == (int)DataType.Int64) => Type(node.Input[0]),
                _ when Reads(node, Type) => (int)DataType.Int64,
                _ => null,
            };
            if (output is not { } type) continue;
            if (Operators.Contains(node.OpType)) folded.Add(i);
            types[node.Output[0]] = type;
        }
        return (folded, types);
    }

    /// <summary>The tensor <paramref name="node"/> (<see cref="Reads"/>) computes from <paramref name="constant"/>, named as its output.</summary>
    /// <exception cref="OnnxImportException">Parameters that do not fit the node's inputs.</exception>
    public static TensorProto Folded(NodeProto node, Func<string, TensorProto?> constant, NodeAttributes a)
    {
        IntTensor Input(int i) => node.Input.Count > i && node.Input[i].Length > 0 && constant(node.Input[i]) is { } t
            ? new IntTensor(t.Dims.ToArray(), IsEmpty(t) ? [] : OnnxTensors.Int64s(t, a.Where))
            : throw new OnnxImportException($"{a.Where}: input {i} is missing.");
        long[]? Optional(int i, string attribute) =>
            node.Input.Count > i && node.Input[i].Length > 0 ? Input(i).Values : a.Ints(attribute);
        a.AllowOnly(node.OpType switch
        {
            "ConstantOfShape" => ["value"],
            "Concat" or "Gather" => ["axis"],
            "Slice" => ["starts", "ends", "axes"],   // opset 9's attributes
            "Transpose" => ["perm"],
            "Cast" => ["to"],
            _ => ["axes"],   // Unsqueeze's and Squeeze's before opset 13
        });
        IntTensor result = node.OpType switch
        {
            "ConstantOfShape" => Filled(Input(0), node, a),
            "Concat" => IntTensorOps.Concat(node.Input.Select((_, i) => Input(i)).ToArray(), a.Int("axis", 0), a),
            "Slice" => IntTensorOps.Slice(Input(0), Optional(1, "starts"), Optional(2, "ends"), Optional(3, "axes"), Optional(4, "steps"), a),
            "Transpose" => IntTensorOps.Transpose(Input(0), a.Ints("perm"), a),
            "Unsqueeze" => IntTensorOps.Unsqueeze(Input(0), Optional(1, "axes"), a),
            "Squeeze" => IntTensorOps.Squeeze(Input(0), Optional(1, "axes"), a),
            "Gather" => IntTensorOps.Gather(Input(0), Input(1), a.Int("axis", 0), a),
            _ => Input(0),   // a Cast of int64 to int64
        };
        var tensor = new TensorProto { Name = node.Output[0], DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(result.Dims);
        tensor.Int64Data.AddRange(result.Values);
        return tensor;
    }

    /// <summary>Whether <paramref name="tensor"/> is one this class computed with no values: torch's ConstantOfShape of no
    /// zeros where F.pad gives every axis's pads (OnnxTensors refuses a dimension of 0 in a file's tensor).</summary>
    private static bool IsEmpty(TensorProto tensor) => tensor.Dims.Contains(0) && tensor.RawData.IsEmpty && tensor.Int64Data.Count == 0;

    /// <summary>ConstantOfShape: its value (one int64) repeated over the dimensions <paramref name="shape"/> gives.</summary>
    private static IntTensor Filled(IntTensor shape, NodeProto node, NodeAttributes a)
    {
        // A parameter's tensor is small: a damaged shape must not allocate without bound.
        a.Require(shape.Dims.Length == 1 && shape.Values.All(d => d >= 0) && shape.Values.Aggregate(1.0, (n, d) => n * d) <= 1 << 20,
            $"its shape ({string.Join(", ", shape.Values)}) must be a vector of sizes of 0 or more, {1 << 20} values at most, as a computed parameter's are.");
        long[] value = OnnxTensors.Int64s(node.Attribute.First(x => x.Name == "value").T, a.Where);   // Reads required it, int64
        a.Require(value.Length == 1, $"its value holds {value.Length} numbers; ONNX's is one.");
        return new IntTensor(shape.Values, Enumerable.Repeat(value[0], (int)shape.Values.Aggregate(1L, (n, d) => n * d)).ToArray());
    }
}
