using EdgeLowRank.Runtime.Layers;
using Google.Protobuf;
using Onnx;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// Writes an EdgeLowRank model as an ONNX graph (opset 17) so ONNX Runtime can run exactly the same
/// weights: Dense → MatMul + Add, FactorizedDense → MatMul, MatMul, Add, ReLU → Relu, Softmax → Softmax,
/// Flatten → Flatten. The batch dimension is symbolic ("batch").
/// </summary>
internal static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "output";

    public static byte[] Export(Model model)
    {
        var graph = new GraphProto { Name = "edgelowrank" };
        string current = InputName;
        graph.Input.Add(Value(InputName, model.InputShape));
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string prefix = $"l{i}";
            current = model.Layers[i] switch
            {
                DenseLayer d => Activate(graph, prefix, AddBias(graph, prefix, MatMul(graph, prefix + ".w", current, d.Weights), d.Bias), d.Activation),
                FactorizedDenseLayer f => Activate(graph, prefix,
                    AddBias(graph, prefix, MatMul(graph, prefix + ".b", MatMul(graph, prefix + ".a", current, f.First), f.Second), f.Bias), f.Activation),
                ReluLayer => Node(graph, "Relu", prefix + ".relu", current),
                SoftmaxLayer => Node(graph, "Softmax", prefix + ".softmax", current),
                FlattenLayer => Node(graph, "Flatten", prefix + ".flatten", current),
                var other => throw new NotSupportedException($"No ONNX export for {other.Kind}."),
            };
        }
        graph.Node[^1].Output[0] = OutputName;
        graph.Output.Add(Value(OutputName, model.OutputShape));
        var proto = new ModelProto { IrVersion = 8, ProducerName = "EdgeLowRank.Peers.Bench", Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return proto.ToByteArray();
    }

    private static string MatMul(GraphProto graph, string name, string input, PackedMatrix weights)
    {
        graph.Initializer.Add(Tensor(name, weights.ToRowMajor(), weights.Rows, weights.Columns));
        return Node(graph, "MatMul", name + ".out", input, name);
    }

    private static string AddBias(GraphProto graph, string prefix, string input, ReadOnlyMemory<float> bias)
    {
        if (bias.IsEmpty) return input;
        graph.Initializer.Add(Tensor(prefix + ".bias", bias.ToArray(), bias.Length));
        return Node(graph, "Add", prefix + ".biased", input, prefix + ".bias");
    }

    private static string Activate(GraphProto graph, string prefix, string input, Activation activation) =>
        activation == Activation.Relu ? Node(graph, "Relu", prefix + ".relu", input) : input;

    private static string Node(GraphProto graph, string op, string output, params string[] inputs)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        graph.Node.Add(node);
        return output;
    }

    private static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor;
    }

    private static ValueInfoProto Value(string name, TensorShape shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in shape.Dimensions) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
