using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>The ONNX protobuf pieces a graph is built from: nodes with attributes, initializers and typed values. The
/// exporter writes with them, and tests build foreign graphs (as other tools write them) with them.</summary>
public static class OnnxProto
{
    /// <summary>Adds a node with one output named <paramref name="output"/> and returns that name.</summary>
    public static string Node(GraphProto graph, string op, string output, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>An attribute holding a list of integers (kernel_shape, strides, pads, perm).</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>An attribute holding one integer (axis, transB, to).</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An attribute holding one float (alpha, epsilon).</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An attribute holding a string (auto_pad).</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Adds a float initializer and returns its name.</summary>
    public static string Initializer(GraphProto graph, string name, float[] values, params long[] dims) =>
        Initializer(graph, name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>Adds an int8 initializer (quantized weights) and returns its name.</summary>
    public static string Int8Initializer(GraphProto graph, string name, sbyte[] values, params long[] dims) =>
        Initializer(graph, name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>Adds an int64 initializer (a Reshape's shape) and returns its name.</summary>
    public static string Int64Initializer(GraphProto graph, string name, long[] values, params long[] dims) =>
        Initializer(graph, name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    private static string Initializer(GraphProto graph, string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(data);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float tensor value with a symbolic batch dimension ("batch") before <paramref name="sample"/>.</summary>
    public static ValueInfoProto Value(string name, IEnumerable<int> sample)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in sample) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
