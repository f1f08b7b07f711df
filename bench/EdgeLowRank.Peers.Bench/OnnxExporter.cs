using EdgeLowRank.Runtime.Layers;
using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Peers.Bench.OnnxProto;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// Writes an EdgeLowRank model as an ONNX graph (opset 17) so ONNX Runtime runs exactly the same weights, laid out as
/// an ONNX model of the same network would be: Dense → MatMul + Add; FactorizedDense → MatMul, MatMul, Add;
/// Conv2d → Conv; FactorizedConv2d → a k×k Conv to r channels and a 1×1 Conv; MaxPool2d → MaxPool; ReLU (fused or not)
/// → Relu; Softmax → Softmax; Flatten → Flatten. The batch dimension is symbolic ("batch").
/// </summary>
/// <remarks>
/// ONNX's Conv and MaxPool take images channels-first (N×C×H×W) where the runtime keeps them channels-last, so images
/// enter the graph channels-first (<see cref="ToOnnxLayout"/> converts inputs). A flattened image is then in (c, h, w)
/// order, not the runtime's (h, w, c); instead of transposing it back at run time, the next matrix layer takes its rows
/// in that order, as the first dense layer of a network trained channels-first would have them.
/// </remarks>
internal static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "output";

    /// <summary>One sample's shape as the ONNX graph takes it: an image (h, w, c) as (c, h, w), a vector as it is.</summary>
    public static int[] OnnxShape(TensorShape shape) => IsImage(shape) ? [shape[2], shape[0], shape[1]] : shape.Dimensions.ToArray();

    /// <summary>Copies a batch of runtime samples of <paramref name="shape"/> into the graph's layout (images channels-first).</summary>
    public static void ToOnnxLayout(ReadOnlySpan<float> samples, TensorShape shape, Span<float> destination)
    {
        if (!IsImage(shape))
        {
            samples.CopyTo(destination);
            return;
        }
        int height = shape[0], width = shape[1], channels = shape[2], size = shape.ElementCount;
        for (int start = 0; start < samples.Length; start += size)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++)
                        destination[start + (c * height + y) * width + x] = samples[start + (y * width + x) * channels + c];
    }

    /// <summary>The graph of <paramref name="model"/>. With <paramref name="dynamicInt8"/>, each int8 matrix of a dense or
    /// factorized dense layer becomes what ONNX Runtime's dynamic quantization writes (quantize_dynamic, per-channel int8
    /// weights): DynamicQuantizeLinear of the input to uint8, MatMulInteger with the int8 weights, Cast, and a Mul by the
    /// input's scale times the weights' column scales, which ONNX Runtime fuses into one integer kernel. Without it, and for
    /// convolutions (ONNX Runtime's CPU ConvInteger does not take int8 weights), the weights are the f32 values q × scale.</summary>
    public static byte[] Export(Model model, bool dynamicInt8 = false)
    {
        var graph = new GraphProto { Name = "edgelowrank" };
        graph.Input.Add(Value(InputName, OnnxShape(model.InputShape)));
        string current = InputName;
        int[]? rowOrder = null; // set by flattening a channels-first image: the runtime's vector index of each ONNX element
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string prefix = $"l{i}";
            TensorShape input = model.InputShapeOf(i);
            switch (model.Layers[i])
            {
                case DenseLayer d:
                    current = MatMul(graph, prefix + ".w", current, d.Weights, rowOrder, dynamicInt8);
                    current = Activate(graph, prefix, AddBias(graph, prefix, current, d.Bias), d.Activation);
                    rowOrder = null;
                    break;
                case FactorizedDenseLayer f:
                    current = MatMul(graph, prefix + ".a", current, f.First, rowOrder, dynamicInt8);
                    current = MatMul(graph, prefix + ".b", current, f.Second, null, dynamicInt8);
                    current = Activate(graph, prefix, AddBias(graph, prefix, current, f.Bias), f.Activation);
                    rowOrder = null;
                    break;
                case Conv2dLayer c:
                    current = Conv(graph, prefix, current, c.Weights, c.InputChannels, c.Geometry, c.Bias);
                    current = Activate(graph, prefix, current, c.Activation);
                    break;
                case FactorizedConv2dLayer f:
                    current = Conv(graph, prefix + ".a", current, f.First, f.InputChannels, f.Geometry, ReadOnlyMemory<float>.Empty);
                    current = Conv(graph, prefix + ".b", current, f.Second, f.Rank, new ConvolutionGeometry(1), f.Bias);
                    current = Activate(graph, prefix, current, f.Activation);
                    break;
                case MaxPool2dLayer p:
                    long size = p.Geometry.KernelSize, stride = p.Geometry.Stride;
                    current = Node(graph, "MaxPool", prefix + ".pool", [current], Ints("kernel_shape", size, size), Ints("strides", stride, stride));
                    break;
                case ReluLayer:
                    current = Node(graph, "Relu", prefix + ".relu", [current]);
                    break;
                case SoftmaxLayer:
                    current = Node(graph, "Softmax", prefix + ".softmax", [current]);
                    break;
                case FlattenLayer when IsImage(input) && model.Layers.Skip(i + 1).Any(l => l is DenseLayer or FactorizedDenseLayer):
                    rowOrder = ChannelsFirstOrder(input);
                    current = Node(graph, "Flatten", prefix + ".flatten", [current]);
                    break;
                case FlattenLayer when IsImage(input):
                    // No matrix layer left to take the rows in channels-first order: flatten in the runtime's order.
                    current = Node(graph, "Flatten", prefix + ".flatten", [ToChannelsLast(graph, prefix, current)]);
                    break;
                case FlattenLayer:
                    current = Node(graph, "Flatten", prefix + ".flatten", [current]);
                    break;
                default:
                    throw new NotSupportedException($"No ONNX export for {model.Layers[i].Kind}.");
            }
        }
        // The output keeps the runtime's layout, so both engines' outputs compare element by element.
        if (IsImage(model.OutputShape)) current = ToChannelsLast(graph, "out", current);
        graph.Node[^1].Output[0] = OutputName;
        graph.Output.Add(Value(OutputName, model.OutputShape.Dimensions.ToArray()));
        var proto = new ModelProto { IrVersion = 8, ProducerName = "EdgeLowRank.Peers.Bench", Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return proto.ToByteArray();
    }

    private static bool IsImage(TensorShape shape) => shape.Rank == 3;

    /// <summary>For an image (h, w, c) flattened channels-first, the channels-last index of each element.</summary>
    private static int[] ChannelsFirstOrder(TensorShape image)
    {
        int height = image[0], width = image[1], channels = image[2];
        var order = new int[image.ElementCount];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    order[(c * height + y) * width + x] = (y * width + x) * channels + c;
        return order;
    }

    /// <summary>Row-major elements, their rows taken in <paramref name="rowOrder"/> when one is pending.</summary>
    private static T[] Reordered<T>(T[] rows, int columns, int[]? rowOrder)
    {
        if (rowOrder is null) return rows;
        var reordered = new T[rows.Length];
        for (int j = 0; j < rowOrder.Length; j++)
            rows.AsSpan(rowOrder[j] * columns, columns).CopyTo(reordered.AsSpan(j * columns));
        return reordered;
    }

    private static string MatMul(GraphProto graph, string name, string input, PackedMatrix weights, int[]? rowOrder, bool dynamicInt8)
    {
        long rows = weights.Rows, columns = weights.Columns;
        if (!dynamicInt8 || weights.ElementType != ElementType.Int8)
        {
            float[] values = Reordered(weights.ToRowMajor(), weights.Columns, rowOrder);
            return Node(graph, "MatMul", name + ".out", [input, Initializer(graph, name, values, rows, columns)]);
        }
        sbyte[] quantized = Reordered(weights.QuantizedToRowMajor(), weights.Columns, rowOrder);
        string q = name + ".q", scale = name + ".q.scale", zero = name + ".q.zero";
        var quantize = new NodeProto { OpType = "DynamicQuantizeLinear", Name = q };
        quantize.Input.Add(input);
        quantize.Output.AddRange([q, scale, zero]);
        graph.Node.Add(quantize);
        string product = Node(graph, "MatMulInteger", name + ".int32", [q, Int8Initializer(graph, name, quantized, rows, columns), zero]);
        string floats = Node(graph, "Cast", name + ".float", [product], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        string scales = Node(graph, "Mul", name + ".scales", [scale, Initializer(graph, name + ".column-scales", weights.Scales.ToArray(), columns)]);
        return Node(graph, "Mul", name + ".out", [floats, scales]);
    }

    /// <summary>A convolution whose runtime weights are (k·k·c_in) × c_out with row (ky·k + kx)·c_in + ci, written as
    /// ONNX's c_out × c_in × k × k.</summary>
    private static string Conv(GraphProto graph, string name, string input, PackedMatrix weights, int inputChannels,
        ConvolutionGeometry geometry, ReadOnlyMemory<float> bias)
    {
        int k = geometry.KernelSize, outputChannels = weights.Columns;
        float[] rows = weights.ToRowMajor();
        var kernel = new float[rows.Length];
        for (int co = 0; co < outputChannels; co++)
            for (int ci = 0; ci < inputChannels; ci++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        kernel[((co * inputChannels + ci) * k + ky) * k + kx] = rows[((ky * k + kx) * inputChannels + ci) * outputChannels + co];
        List<string> inputs = [input, Initializer(graph, name + ".w", kernel, outputChannels, inputChannels, k, k)];
        if (!bias.IsEmpty) inputs.Add(Initializer(graph, name + ".bias", bias.ToArray(), bias.Length));
        long stride = geometry.Stride, pad = geometry.Padding;
        return Node(graph, "Conv", name + ".out", [.. inputs],
            Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad));
    }

    private static string ToChannelsLast(GraphProto graph, string prefix, string input) =>
        Node(graph, "Transpose", prefix + ".nhwc", [input], Ints("perm", 0, 2, 3, 1));

    private static string AddBias(GraphProto graph, string prefix, string input, ReadOnlyMemory<float> bias) =>
        bias.IsEmpty ? input : Node(graph, "Add", prefix + ".biased", [input, Initializer(graph, prefix + ".bias", bias.ToArray(), bias.Length)]);

    private static string Activate(GraphProto graph, string prefix, string input, Activation activation) =>
        activation == Activation.Relu ? Node(graph, "Relu", prefix + ".relu", [input]) : input;
}
