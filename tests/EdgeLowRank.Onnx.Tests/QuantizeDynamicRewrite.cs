using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>
/// What ONNX Runtime's <c>onnxruntime.quantization.quantize_dynamic</c> makes of a float graph, node for node and name for name,
/// as its source says (the quantization tools' onnx_quantizer and base_quantizer modules of the versions with float16 and int4 weights,
/// operators/matmul, and operators/conv whose bias is added after the scaling), so the tests read the files that tool
/// writes without its Python. Of the operators here it rewrites MatMul (of an initializer B) and Conv only; Gemm is in none
/// of its dynamic registries and stays f32. Each tensor a product reads is quantized once, by a DynamicQuantizeLinear named
/// <c>x_QuantizeLinear</c> that every later reader shares; weights become <c>W_quantized</c>, <c>W_scale</c> and
/// <c>W_zero_point</c> initializers: int8 symmetric (zero point 0, levels ±127, or ±64 with reduce_range), or with
/// <c>weight_type=QUInt8</c> uint8 with a zero point. per_channel gives a MatMul one scale and zero point per column (its
/// axis −1); a Conv's weights stay per tensor, since its ConvInteger does not ask for channels.
/// </summary>
internal static class QuantizeDynamicRewrite
{
    /// <summary>quantize_dynamic's arguments that change what it writes.</summary>
    public sealed record Options(bool PerChannel = false, bool ReduceRange = false, bool UInt8Weights = false);

    /// <summary>The model <paramref name="model"/> (a float ONNX file's bytes) as quantize_dynamic writes it.</summary>
    public static byte[] Apply(byte[] model, Options options)
    {
        ModelProto proto = ModelProto.Parser.ParseFrom(model);
        GraphProto graph = proto.Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        var quantized = new Dictionary<string, (string Values, string Scale, string ZeroPoint)>();
        NodeProto[] nodes = graph.Node.ToArray();
        graph.Node.Clear();

        (string, string, string) Activation(string x)
        {
            if (!quantized.TryGetValue(x, out var q))
            {
                q = (x + "_quantized", x + "_scale", x + "_zero_point");
                graph.Node.Add(new NodeProto { OpType = "DynamicQuantizeLinear", Name = x + "_QuantizeLinear", Input = { x }, Output = { q.Values, q.Scale, q.ZeroPoint } });
                quantized[x] = q;
            }
            return q;
        }

        foreach (NodeProto node in nodes)
        {
            bool product = node.OpType is "MatMul" or "Conv" && weights.ContainsKey(node.Input[1]);
            if (!product)
            {
                graph.Node.Add(node);
                continue;
            }
            bool conv = node.OpType == "Conv";
            string output = node.Output[0], name = node.Name + "_quant";
            (string xq, string xScale, string xZero) = Activation(node.Input[0]);
            (string wq, string wScale, string wZero) = Weights(graph, weights[node.Input[1]], options, perColumn: !conv && options.PerChannel);
            string sums = output + "_output_quantized";
            var integer = new NodeProto { OpType = conv ? "ConvInteger" : "MatMulInteger", Name = name, Input = { xq, wq, xZero, wZero }, Output = { sums } };
            if (conv) integer.Attribute.AddRange(node.Attribute);
            graph.Node.Add(integer);
            string floats = Node(graph, "Cast", sums + "_cast_output", [sums], Int("to", (long)TensorProto.Types.DataType.Float));
            graph.Node[^1].Name = sums + "_cast";
            string scales = Node(graph, "Mul", name + "_scales_mul:0", [xScale, wScale]);
            graph.Node[^1].Name = name + "_scales_mul";
            bool bias = conv && node.Input.Count == 3;
            Node(graph, "Mul", bias ? output + "quant_scaled_output" : output, [floats, scales]);
            graph.Node[^1].Name = name + "_output_scale_mul";
            if (bias)
            {
                // The bias reshaped to (1, −1, 1, 1) by a Reshape without a name, then added after the scaling.
                long[] shape = [.. Enumerable.Repeat(1L, weights[node.Input[1]].Dims.Count)];
                shape[1] = -1;
                string target = Add(graph, new TensorProto { Name = output + "_bias_reshape_shape", DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { shape } },
                    [shape.Length]);
                string reshaped = Node(graph, "Reshape", output + "_bias_reshape_output", [node.Input[2], target]);
                graph.Node[^1].Name = "";
                Node(graph, "Add", output, [output + "quant_scaled_output", reshaped]);
                graph.Node[^1].Name = output + "_bias_add";
            }
        }
        // Its remove_unused_constant: the float weights it quantized are read by no node now.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (TensorProto t in graph.Initializer.Where(t => !read.Contains(t.Name)).ToArray()) graph.Initializer.Remove(t);
        proto.ProducerName = "onnx.quantize";
        return proto.ToByteArray();
    }

    /// <summary>The quantized weights of <paramref name="w"/>, with their scale and zero point initializers: one of each, or with
    /// <paramref name="perColumn"/> one per column of a K×N matrix.</summary>
    private static (string Values, string Scale, string ZeroPoint) Weights(GraphProto graph, TensorProto w, Options options, bool perColumn)
    {
        float[] values = OnnxTensors.Floats(w, w.Name);
        int columns = perColumn ? (int)w.Dims[1] : 1;
        var scales = new float[columns];
        var zeros = new int[columns];
        var q = new int[values.Length];
        for (int c = 0; c < columns; c++)
        {
            int[] members = Enumerable.Range(0, values.Length).Where(i => i % columns == c).ToArray();
            float min = Math.Min(members.Min(i => values[i]), 0), max = Math.Max(members.Max(i => values[i]), 0);
            // quantize_data: int8 symmetric about 0 over ±127 (±64 reduced); uint8 over the range [min, max] with 0 exact.
            (int qmin, int qmax) = options.UInt8Weights ? (0, options.ReduceRange ? 127 : 255) : options.ReduceRange ? (-64, 64) : (-127, 127);
            if (!options.UInt8Weights) (min, max) = (-Math.Max(-min, max), Math.Max(-min, max));
            scales[c] = (max - min) / (qmax - qmin);
            zeros[c] = (int)Math.Round(qmin - min / scales[c], MidpointRounding.ToEven);
            foreach (int i in members) q[i] = Math.Clamp((int)Math.Round(values[i] / scales[c], MidpointRounding.ToEven) + zeros[c], qmin, qmax);
        }
        // The values raw, as numpy_helper.from_array writes them; the scale and zero point in float_data and int32_data, as
        // onnx.helper.make_tensor does (a scalar when per tensor).
        var type = options.UInt8Weights ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Int8;
        byte[] raw = options.UInt8Weights ? q.Select(v => (byte)v).ToArray() : q.Select(v => (byte)(sbyte)v).ToArray();
        long[] dims = perColumn ? [columns] : [];
        return (Add(graph, new TensorProto { Name = w.Name + "_quantized", DataType = (int)type, RawData = ByteString.CopyFrom(raw) }, [.. w.Dims]),
            Add(graph, new TensorProto { Name = w.Name + "_scale", DataType = (int)TensorProto.Types.DataType.Float, FloatData = { scales } }, dims),
            Add(graph, new TensorProto { Name = w.Name + "_zero_point", DataType = (int)type, Int32Data = { zeros } }, dims));
    }

    private static string Add(GraphProto graph, TensorProto tensor, long[] dims)
    {
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }
}
