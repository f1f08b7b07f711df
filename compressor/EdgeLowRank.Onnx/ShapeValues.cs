using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The small int64 vectors a graph computes from the shape of the tensor it flattens: with a dynamic batch,
/// torch.onnx.export writes <c>x.view(x.size(0), -1)</c> as Shape → Gather → Unsqueeze → Concat (with a constant −1 or n)
/// → Reshape. They are evaluated as the graph is read, each entry a known number or the batch size, and their nodes are
/// not steps of the chain. A Reshape whose shape is one of them is read as a Reshape to a constant shape whose batch entry
/// keeps the batch. Shape, Gather, Unsqueeze, Concat, Cast (to int64) and Div (of known sizes) are evaluated; anything else
/// done with a shape is refused.
/// </summary>
internal sealed class ShapeValues(GraphWeights weights)
{
    private const string Instead = "export with torch.flatten(x, 1) or a constant shape";

    private readonly Dictionary<string, Value> _computed = [];

    /// <summary>Evaluates <paramref name="node"/> when it computes with shapes: a Shape, a node reading a shape computed
    /// before (but for a Reshape, which is a step), or an Unsqueeze or Concat of int64 constants (torch without constant
    /// folding unsqueezes the scalar −1 too). False for any other node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="a">Its attributes.</param>
    /// <param name="current">The chain's current tensor, the only one whose shape may be taken.</param>
    /// <param name="currentDims">That tensor's dimensions after the batch, in ONNX's order (channels-first for an image
    /// not transposed to channels-last).</param>
    /// <exception cref="OnnxImportException">The node computes with a shape in a way not read here.</exception>
    public bool TryAdd(NodeProto node, NodeAttributes a, string current, int[] currentDims)
    {
        bool readsShape = node.OpType != "Reshape" && node.Input.Any(_computed.ContainsKey);
        bool ofConstants = node.OpType is "Unsqueeze" or "Concat" && node.Input.Count > 0 && node.Input.All(IsInt64Constant);
        if (node.OpType != "Shape" && !readsShape && !ofConstants) return false;
        _computed[node.Output[0]] = node.OpType switch
        {
            "Shape" => Shape(node, a, current, currentDims),
            "Gather" => Gather(node, a),
            "Unsqueeze" => Unsqueeze(node, a),
            "Concat" => Concat(node, a),
            "Cast" => Cast(node, a),
            "Div" => Div(node, a),
            _ => throw new OnnxImportException($"{a.Where}: a {node.OpType} of a shape computed at run time; only Gather, Unsqueeze, Concat, Cast and Div "
                + $"building a Reshape's (x.size(0), -1) are read; {Instead}."),
        };
        return true;
    }

    /// <summary>A Reshape's shape: a shape computed from the tensor it flattens, or an int64 constant; an entry is null
    /// where it is the batch size.</summary>
    /// <exception cref="OnnxImportException">The shape is missing or computed some other way.</exception>
    public long?[] ReshapeTarget(NodeProto reshape, NodeAttributes a)
    {
        string name = reshape.Input.Count > 1 ? reshape.Input[1] : "";
        if (_computed.TryGetValue(name, out Value? value)) return value.Entries;
        if (weights.Constant(name) is not { } tensor)
            throw new OnnxImportException($"{a.Where}: its shape is computed in the graph, not a constant nor from x.size(0); {Instead}.");
        return Known(OnnxTensors.Int64s(tensor, a.Where));
    }

    private static Value Shape(NodeProto node, NodeAttributes a, string current, int[] currentDims)
    {
        a.AllowOnly("start", "end");
        string input = node.Input.FirstOrDefault() ?? "";
        if (input != current)
            throw new OnnxImportException($"{a.Where}: it takes the shape of '{input}', not of the tensor the chain is at ('{current}'); "
                + $"only the shape of the tensor a Reshape flattens is read; {Instead}.");
        long?[] all = [null, .. Known(currentDims.Select(d => (long)d))];
        // Opset 15's start and end slice the shape; out-of-range ends are clamped, as ONNX says.
        int Clamped(long i) => (int)Math.Clamp(i < 0 ? i + all.Length : i, 0, all.Length);
        int start = Clamped(a.Int("start", 0)), end = Clamped(a.Int("end", all.Length));
        return new Value(all[start..Math.Max(start, end)], Scalar: false);
    }

    private Value Gather(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("axis");
        Value data = Input(node, 0, a), indices = Input(node, 1, a);
        a.Require(!data.Scalar && a.Int("axis", 0) is 0 or -1, $"only a Gather of entries of a shape vector (axis 0) is read; {Instead}.");
        int n = data.Entries.Length;
        long?[] entries = indices.Entries.Select(i => i is { } k && k >= -n && k < n ? data.Entries[k < 0 ? k + n : k]
            : throw new OnnxImportException($"{a.Where}: the index {i?.ToString() ?? "batch size"} is outside the shape's {n} entries.")).ToArray();
        return new Value(entries, indices.Scalar);
    }

    private Value Unsqueeze(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("axes");
        Value x = Input(node, 0, a);
        // Opsets 11 and 12 give the axes as an attribute, 13 on as an input.
        long?[] axes = a.Ints("axes", 1) is { } attribute ? Known(attribute) : Input(node, 1, a).Entries;
        a.Require(x.Scalar && axes is [0 or -1], $"only a scalar unsqueezed into a vector (axes [0]) is read; {Instead}.");
        return x with { Scalar = false };
    }

    private Value Concat(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("axis");
        Value[] parts = node.Input.Select((_, i) => Input(node, i, a)).ToArray();
        a.Require(a.Int("axis", 0) is 0 or -1 && parts.All(p => !p.Scalar), $"only a Concat of vectors along axis 0 is read; {Instead}.");
        return new Value(parts.SelectMany(p => p.Entries).ToArray(), Scalar: false);
    }

    private Value Cast(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly("to");
        a.Require(a.Int("to", 0) == (long)DataType.Int64, $"only a Cast of a shape to int64 (what a Reshape takes) is read; {Instead}.");
        return Input(node, 0, a);
    }

    /// <summary>A size divided by a number (ShuffleNet's channels // groups), so that the Reshape it builds is refused for
    /// what it does, not for how its shape was computed; the batch size, unknown here, cannot be divided.</summary>
    private Value Div(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly();
        Value x = Input(node, 0, a), by = Input(node, 1, a);
        a.Require(x.Entries.Length == 1 && by.Entries.Length == 1 && x.Entries[0] is not null && by.Entries[0] is > 0,
            $"only a Div of one known size by a positive number is read; {Instead}.");
        return x with { Entries = [x.Entries[0] / by.Entries[0]] };
    }

    /// <summary>Input <paramref name="i"/> of a node that computes with shapes: a shape computed before, or an int64
    /// constant of at most one dimension.</summary>
    private Value Input(NodeProto node, int i, NodeAttributes a)
    {
        string name = node.Input.Count > i ? node.Input[i] : "";
        if (name.Length == 0) throw new OnnxImportException($"{a.Where}: input {i} is missing.");
        if (_computed.TryGetValue(name, out Value? value)) return value;
        if (!IsInt64Constant(name))
            throw new OnnxImportException($"{a.Where}: it computes with a shape and '{name}', which is neither a shape nor an int64 constant; {Instead}.");
        TensorProto tensor = weights.Constant(name)!;
        a.Require(tensor.Dims.Count <= 1, $"'{name}' has {tensor.Dims.Count} dimensions; a shape's constants are scalars or vectors.");
        return new Value(Known(OnnxTensors.Int64s(tensor, a.Where)), Scalar: tensor.Dims.Count == 0);
    }

    private bool IsInt64Constant(string name) => weights.Constant(name)?.DataType == (int)DataType.Int64;

    private static long?[] Known(IEnumerable<long> values) => values.Select(v => (long?)v).ToArray();

    /// <summary>An int64 scalar or vector: each entry a number, or null for the batch size.</summary>
    private sealed record Value(long?[] Entries, bool Scalar);
}
