using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The small int64 vectors a graph computes from the shape of the tensor it flattens: with a dynamic batch,
/// torch.onnx.export writes <c>x.view(x.size(0), -1)</c> as Shape → Gather → Unsqueeze → Concat (with a constant −1 or n)
/// → Reshape. They are evaluated as the graph is read, each entry a known number or the batch size, and their nodes are
/// not steps of the chain. A Reshape whose shape is one of them is read as a Reshape to a constant shape whose batch entry
/// keeps the batch. ShuffleNet's units compute shapes too: torch.chunk's Slices take their bounds from (c + 1) / 2 · k, and
/// its channel shuffle reshapes into (batch, g, c / g, h, w). Shape, Gather, Unsqueeze, Concat, Cast (to int64), and Add,
/// Mul and Div of known sizes are evaluated; anything else done with a shape is refused.
/// </summary>
internal sealed class ShapeValues(GraphWeights weights)
{
    private const string Instead = "export with torch.flatten(x, 1), a constant shape or constant slice bounds";

    private readonly Dictionary<string, Value> _computed = [];

    /// <summary>Evaluates <paramref name="node"/> when it computes with shapes: a Shape, a node reading a shape computed
    /// before (but for a Reshape, which is a step). False for any other node (an Unsqueeze or Concat of int64 constants
    /// alone, as torch without constant folding writes the scalar −1 unsqueezed, is a constant: <see cref="ConstantFolding"/>).</summary>
    /// <param name="node">The node.</param>
    /// <param name="a">Its attributes.</param>
    /// <param name="current">The chain's current tensor, the only one whose shape may be taken.</param>
    /// <param name="currentDims">That tensor's dimensions after the batch, in ONNX's order (channels-first for an image
    /// not transposed to channels-last).</param>
    /// <exception cref="OnnxImportException">The node computes with a shape in a way not read here.</exception>
    public bool TryAdd(NodeProto node, NodeAttributes a, string current, int[] currentDims)
    {
        if (!Computes(node, _computed.ContainsKey)) return false;
        _computed[node.Output[0]] = node.OpType switch
        {
            "Shape" => Shape(node, a, current, currentDims),
            "Gather" => Gather(node, a),
            "Unsqueeze" => Unsqueeze(node, a),
            "Concat" => Concat(node, a),
            "Cast" => Cast(node, a),
            "Add" or "Mul" or "Div" => Arithmetic(node, a),
            _ => throw new OnnxImportException($"{a.Where}: a {node.OpType} of a shape computed at run time; only Gather, Unsqueeze, Concat, Cast, Add, "
                + $"Mul and Div building a Reshape's shape or a Slice's bounds are read; {Instead}."),
        };
        return true;
    }

    /// <summary>Whether <paramref name="node"/> computes a shape, given which tensors are shapes: a Shape, or a node that
    /// reads one, but for the steps that take a shape as a parameter (a Reshape's target, a Slice's bounds, a Pad's pads,
    /// which <see cref="PadNodes"/> refuses as not constant).</summary>
    public static bool Computes(NodeProto node, Func<string, bool> isShape) => node.OpType switch
    {
        "Shape" => true,
        "Reshape" => false,
        "Slice" or "Pad" => node.Input.Count > 0 && isShape(node.Input[0]),
        _ => node.Input.Any(isShape),
    };

    /// <summary>A Reshape's shape: a shape computed from the tensor it flattens, or an int64 constant; an entry is null
    /// where it is the batch size.</summary>
    /// <exception cref="OnnxImportException">The shape is missing or computed some other way.</exception>
    public long?[] ReshapeTarget(NodeProto reshape, NodeAttributes a) =>
        Parameter(reshape, 1, a) ?? throw new OnnxImportException($"{a.Where}: its shape is missing.");

    /// <summary>Input <paramref name="i"/> of a step that takes an int64 vector as a parameter (a Reshape's shape, a
    /// Slice's starts, ends, axes or steps): a vector computed from a shape, or an int64 constant; an entry is null where it
    /// is the batch size. Null when the input is absent.</summary>
    /// <exception cref="OnnxImportException">The vector is computed some other way.</exception>
    public long?[]? Parameter(NodeProto node, int i, NodeAttributes a)
    {
        string name = node.Input.Count > i ? node.Input[i] : "";
        if (name.Length == 0) return null;
        if (_computed.TryGetValue(name, out Value? value)) return value.Entries;
        if (weights.Constant(name) is not { } tensor)
            throw new OnnxImportException($"{a.Where}: its input '{name}' is computed in the graph, neither a constant nor from the tensor's shape "
                + $"(x.size(…)); {Instead}.");
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

    /// <summary>An Add, Mul or Div of a known size and a number (ShuffleNet's channels / groups for its shuffle, and
    /// (channels + 1) / 2 · k for the bounds of torch.chunk's halves), in ONNX's integer arithmetic (a Div truncates); the
    /// batch size, unknown here, takes no part.</summary>
    private Value Arithmetic(NodeProto node, NodeAttributes a)
    {
        a.AllowOnly();
        Value x = Input(node, 0, a), y = Input(node, 1, a);
        if (x.Entries is not [{ } left] || y.Entries is not [{ } right] || node.OpType == "Div" && right <= 0)
            throw new OnnxImportException($"{a.Where}: only an {node.OpType} of one known size and one number{(node.OpType == "Div" ? " (a positive divisor)" : "")} "
                + $"is read, not of the batch size nor of vectors; {Instead}.");
        long result = node.OpType switch { "Add" => left + right, "Mul" => left * right, _ => left / right };
        return new Value([result], x.Scalar && y.Scalar);
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
