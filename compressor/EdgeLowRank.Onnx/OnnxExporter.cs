using System.Reflection;
using EdgeLowRank.Runtime.Layers;
using Google.Protobuf;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx;

/// <summary>How an int8 weight matrix is written to ONNX when the export is told (<see cref="OnnxExporter.Export"/>); untold, each
/// matrix is written as its layer computes: <see cref="Dynamic"/> for a layer that quantizes its inputs as it runs
/// (<see cref="InputQuantization.Dynamic"/>), <see cref="Dequantize"/> for any other.</summary>
public enum Int8Export
{
    /// <summary>The int8 values and their column scales, dequantized by a DequantizeLinear node (ONNX's weight-only
    /// quantization): the file stays about 4× smaller than f32, and an engine computes exactly q × scale, as the runtime does.</summary>
    Dequantize,
    /// <summary>The f32 values q × scale: a plain float model, as large as f32.</summary>
    Float,
    /// <summary>What ONNX Runtime's quantize_dynamic writes for a dense layer or a convolution (per-channel int8 weights):
    /// DynamicQuantizeLinear of the input to uint8, MatMulInteger or ConvInteger, Cast and a Mul by the input's scale times the
    /// column (output channel) scales. ONNX Runtime runs it with integer kernels; its outputs differ from the runtime's by the
    /// inputs' quantization. A depthwise convolution's filters, f32 in the runtime, stay f32.</summary>
    Dynamic,
}

/// <summary>
/// Writes a model as an ONNX graph (opset 17) that computes what the runtime computes with the same weights, laid out
/// as an ONNX model of the same network would be: Dense → MatMul + Add; FactorizedDense → MatMul, MatMul, Add; Conv2d →
/// Conv; FactorizedConv2d → a k×k Conv to r channels and a 1×1 Conv (with dynamic inputs, each product as quantize_dynamic
/// writes it: MatMulInteger for a matrix, ConvInteger for a convolution, then Cast, Mul and an Add of the bias); DepthwiseConv2d → a Conv with group c (but the input's normalization the import kept as
/// the first layer → a Mul and an Add of per-channel constants); Add (a
/// residual connection) → Add of the current tensor and the earlier activation's; Concat → Concat along axis 1 (the channels) of the two
/// tensors in the layer's order; ChannelSlice → Slice along axis 1; ChannelShuffle → Reshape into (batch, g, c / g, h, w),
/// Transpose(0, 2, 1, 3, 4), Reshape back (PyTorch's channel_shuffle; a vector's analogue without h, w); Branch → no node, the next node reads the
/// earlier activation's tensor; MaxPool2d → MaxPool (with its pads); AvgPool2d → AveragePool; ReLU
/// (fused or not) → Relu; Relu6 → Clip(0, 6), its bounds scalar initializers; Tanh → Tanh; Sigmoid → Sigmoid; HardSwish → HardSwish;
/// HardSigmoid → HardSigmoid(α, β); LeakyRelu → LeakyRelu(α); SiLU → Sigmoid and Mul; ChannelScale → Mul of the earlier activation's tensor by the gate
/// (Unsqueezed to N×C×1×1 when a vector scales an image); Softmax → Softmax; Flatten → Flatten. The batch dimension is
/// symbolic ("batch"). The model's metadata and its layers' factorization methods go into metadata_props
/// (<see cref="OnnxMetadata"/>), so <see cref="OnnxImporter"/> gives the same model back.
/// </summary>
/// <remarks>
/// ONNX's Conv and poolings take images channels-first (N×C×H×W) where the runtime keeps them channels-last, so images
/// enter the graph channels-first (<see cref="ChannelsFirst.ToOnnxLayout"/> converts inputs). A flattened image is then in
/// (c, h, w) order, not the runtime's (h, w, c); instead of transposing it back at run time, the next matrix layer takes its
/// rows in that order, as the first dense layer of a network trained channels-first would have them. An image output is
/// transposed back to channels-last, so both engines' outputs compare element by element.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>The ONNX operator set the graph is written for.</summary>
    public const int Opset = 17;

    /// <summary>The graph of <paramref name="model"/>, serialized; int8 matrices as <paramref name="int8"/> says, or, when it is
    /// null, as their layers compute: a matrix layer with <see cref="InputQuantization.Dynamic"/> as ONNX Runtime's
    /// quantize_dynamic writes one (<see cref="Int8Export.Dynamic"/>; ONNX's DynamicQuantizeLinear takes one scale for the whole
    /// batch where the runtime takes one per sample, a dense layer's row or a convolution's image, so the two agree on a batch of
    /// one), every other int8 matrix behind a DequantizeLinear.</summary>
    /// <exception cref="NotSupportedException">A layer kind with no ONNX counterpart here.</exception>
    public static byte[] Export(Model model, Int8Export? int8 = null)
    {
        var graph = new GraphProto { Name = "edgelowrank" };
        graph.Input.Add(Value(InputName, ChannelsFirst.OnnxShape(model.InputShape)));
        var writer = new GraphWriter(graph, int8);
        string current = InputName;
        var activations = new List<string> { current }; // the tensor of each activation: 0 the input, j + 1 layer j's output
        var secondFactors = new List<string>(); // the nodes that complete a factorized layer, so the import pairs exactly these
        var depthwise = new List<string>();     // the depthwise Conv nodes, so the import knows one of a single channel (group 1)
        int[]? rowOrder = null; // set by flattening a channels-first image: the runtime's vector index of each ONNX element
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string prefix = $"l{i}";
            TensorShape input = model.InputShapeOf(i);
            switch (model.Layers[i])
            {
                case DenseLayer d:
                    current = writer.MatMul(prefix + ".w", current, d.Weights, rowOrder, d.InputQuantization);
                    current = writer.Activate(prefix, writer.AddBias(prefix, current, d.Bias), d.Activation);
                    rowOrder = null;
                    break;
                case FactorizedDenseLayer f:
                    // A dynamic layer quantizes its rank-r intermediate again: a DynamicQuantizeLinear before each factor.
                    current = writer.MatMul(prefix + ".a", current, f.First, rowOrder, f.InputQuantization);
                    current = writer.MatMul(prefix + ".b", current, f.Second, null, f.InputQuantization);
                    secondFactors.Add(current);
                    current = writer.Activate(prefix, writer.AddBias(prefix, current, f.Bias), f.Activation);
                    rowOrder = null;
                    break;
                case Conv2dLayer c:
                    current = writer.Conv(prefix, current, c.Weights, c.InputChannels, c.Geometry, c.Bias, c.InputQuantization).Output;
                    current = writer.Activate(prefix, current, c.Activation);
                    break;
                case FactorizedConv2dLayer f:
                    // As for a FactorizedDense layer, a dynamic one quantizes its r-channel intermediate image again.
                    current = writer.Conv(prefix + ".a", current, f.First, f.InputChannels, f.Geometry, ReadOnlyMemory<float>.Empty, f.InputQuantization).Output;
                    (string product, current) = writer.Conv(prefix + ".b", current, f.Second, f.Rank, new ConvolutionGeometry(1), f.Bias, f.InputQuantization);
                    secondFactors.Add(product);
                    current = writer.Activate(prefix, current, f.Activation);
                    break;
                case DepthwiseConv2dLayer d when i == 0 && IsKeptNormalization(model, d):
                    // The input's normalization elr import-onnx kept before a layer that could not absorb it: the per-channel
                    // affine map it is, a Mul and an Add of constants broadcast over the channels (the runtime's arithmetic
                    // for fewer channels than a vector's lanes: the product rounded, then the sum), not a Conv of group c,
                    // which costs ONNX Runtime about as much as a convolution. The import reads them back as this layer.
                    current = Node(graph, "Mul", prefix + ".scale", [current, Initializer(graph, prefix + ".w", d.Filters.ToArray(), 1, d.Channels, 1, 1)]);
                    if (!d.Bias.IsEmpty)
                        current = Node(graph, "Add", prefix + ".shift", [current, Initializer(graph, prefix + ".bias", d.Bias.ToArray(), 1, d.Channels, 1, 1)]);
                    break;
                case DepthwiseConv2dLayer d:
                    current = writer.DepthwiseConv(prefix, current, d);
                    depthwise.Add(current);
                    current = writer.Activate(prefix, current, d.Activation);
                    break;
                case AddLayer r:
                    current = writer.Activate(prefix, Node(graph, "Add", prefix + ".add", [current, activations[r.Source]]), r.Activation);
                    break;
                case ConcatLayer c:
                    // Along axis 1, the channels of an N×C×H×W image (the runtime's last dimension) or a vector's features.
                    current = Node(graph, "Concat", prefix + ".concat", c.InputFirst ? [current, activations[c.Source]] : [activations[c.Source], current], Int("axis", 1));
                    break;
                case ChannelSliceLayer s:
                    // Along axis 1, as for a Concat: the channels of an image, the features of a vector.
                    current = Node(graph, "Slice", prefix + ".slice", [current, Int64Initializer(graph, prefix + ".starts", [s.Start], 1),
                        Int64Initializer(graph, prefix + ".ends", [s.Start + s.Count], 1), Int64Initializer(graph, prefix + ".axes", [1], 1)]);
                    break;
                case ChannelShuffleLayer s:
                    current = Shuffle(graph, prefix, current, s.Groups, ChannelsFirst.OnnxShape(input));
                    break;
                case BranchLayer b:
                    // No node: the path's first node reads the source's tensor, as in a graph with two paths from it. No flatten
                    // in ONNX's order is pending here: the Add or Concat that joins this layer's input, or a Branch to a flattened vector,
                    // makes the flatten keep the runtime's order (ResidualNodes.ReadAfterFlatten).
                    current = activations[b.Source];
                    break;
                case MaxPool2dLayer p:
                    current = Pool(graph, "MaxPool", prefix, current, p.Geometry);
                    break;
                case AvgPool2dLayer p:
                    // Zero pads, so count_include_pad (whether padding counts in a mean) is left at its default.
                    current = Pool(graph, "AveragePool", prefix, current, p.Geometry);
                    break;
                case ReluLayer:
                    current = Node(graph, "Relu", prefix + ".relu", [current]);
                    break;
                case Relu6Layer:
                    current = Node(graph, "Clip", prefix + ".relu6",
                        [current, Initializer(graph, prefix + ".min", [0f]), Initializer(graph, prefix + ".max", [6f])]);
                    break;
                case TanhLayer:
                    current = Node(graph, "Tanh", prefix + ".tanh", [current]);
                    break;
                case SigmoidLayer:
                    current = Node(graph, "Sigmoid", prefix + ".sigmoid", [current]);
                    break;
                case HardSwishLayer:
                    current = Node(graph, "HardSwish", prefix + ".hardswish", [current]);
                    break;
                case HardSigmoidLayer h:
                    current = Node(graph, "HardSigmoid", prefix + ".hardsigmoid", [current], Float("alpha", h.Alpha), Float("beta", h.Beta));
                    break;
                case LeakyReluLayer l:
                    current = Node(graph, "LeakyRelu", prefix + ".leakyrelu", [current], Float("alpha", l.Alpha));
                    break;
                case SiluLayer:
                    // Opset 17 has no SiLU node: x · σ(x), as torch.onnx.export writes nn.SiLU.
                    current = Node(graph, "Mul", prefix + ".silu", [current, Node(graph, "Sigmoid", prefix + ".sigmoid", [current])]);
                    break;
                case ChannelScaleLayer s:
                    current = Node(graph, "Mul", prefix + ".scale", [Gate(graph, prefix, current, input, model.InputShapeOf(s.Source)), activations[s.Source]]);
                    break;
                case SoftmaxLayer:
                    current = Node(graph, "Softmax", prefix + ".softmax", [current]);
                    break;
                case FlattenLayer when ChannelsFirst.IsImage(input) && model.Layers.Skip(i + 1).Any(l => l is DenseLayer or FactorizedDenseLayer)
                                       && !ResidualNodes.ReadAfterFlatten(model, i):
                    rowOrder = ChannelsFirst.FlattenOrder(input);
                    current = Node(graph, "Flatten", prefix + ".flatten", [current]);
                    break;
                case FlattenLayer when ChannelsFirst.IsImage(input):
                    // No matrix layer left to take the rows in channels-first order, or a join (an Add, a Concat) would join vectors of two
                    // orders: flatten in the runtime's order.
                    current = Node(graph, "Flatten", prefix + ".flatten", [ToChannelsLast(graph, prefix, current)]);
                    break;
                case FlattenLayer:
                    current = Node(graph, "Flatten", prefix + ".flatten", [current]);
                    break;
                default:
                    throw new NotSupportedException($"No ONNX export for {model.Layers[i].Kind}.");
            }
            activations.Add(current);
        }
        if (ChannelsFirst.IsImage(model.OutputShape)) current = ToChannelsLast(graph, "out", current);
        graph.Node[^1].Output[0] = OutputName;
        graph.Output.Add(Value(OutputName, model.OutputShape.Dimensions.ToArray()));
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "EdgeLowRank",
            // With the commit ("0.1.0+cf68492…"), as the .elr files and the logs record it, so a graph names the build that wrote it.
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        OnnxMetadata.Write(proto, model, secondFactors, depthwise);
        return proto.ToByteArray();
    }

    /// <summary>Whether <paramref name="layer"/>, the model's first, is the input's normalization that elr import-onnx kept as a
    /// layer of its own (<see cref="OnnxImporter.InputNormalizationLayerProperty"/>): a 1×1, stride-1, unpadded depthwise
    /// convolution without activation, x·scale[c] + shift[c], written as a Mul and an Add.</summary>
    public static bool IsKeptNormalization(Model model, DepthwiseConv2dLayer layer) =>
        OnnxImporter.KeepsNormalizationLayer(model.Metadata)
        && model.Layers.Count > 0 && ReferenceEquals(model.Layers[0], layer)
        && layer.Geometry == new ConvolutionGeometry(1, 1, 0) && layer.Activation == Activation.None
        && !(layer.Filters.Span.IndexOfAnyExcept(1f) < 0 && layer.Bias.Span.IndexOfAnyExcept(0f) < 0);   // an identity would be read back as none

    /// <summary>A pooling node <paramref name="op"/> with the runtime's square window and its padding side by side (a max
    /// pooling's padding is −∞ in both, so the pads mean the same; an average pooling's is always 0).</summary>
    private static string Pool(GraphProto graph, string op, string prefix, string input, ConvolutionGeometry window)
    {
        long size = window.KernelSize, stride = window.Stride;
        return Node(graph, op, prefix + ".pool", [input], Ints("kernel_shape", size, size), Ints("strides", stride, stride), Pads(window.Pads));
    }

    /// <summary>ONNX's pads of a window: top, left, bottom, right (x1_begin, x2_begin, x1_end, x2_end), as the runtime keeps them.</summary>
    private static AttributeProto Pads(WindowPadding pads) => Ints("pads", pads.Top, pads.Left, pads.Bottom, pads.Right);

    /// <summary>PyTorch's channel_shuffle of a tensor whose sample is <paramref name="sample"/> (C, H, W or features):
    /// a Reshape into (batch, g, C / g, …), a Transpose of the groups and a Reshape back; ONNX's 0 copies the batch, so
    /// the graph keeps a dynamic one.</summary>
    private static string Shuffle(GraphProto graph, string prefix, string input, int groups, int[] sample)
    {
        long[] rest = sample[1..].Select(d => (long)d).ToArray();
        long[] grouped = [0, groups, sample[0] / groups, .. rest], back = [0, sample[0], .. rest];
        long[] perm = [0, 2, 1, .. Enumerable.Range(3, rest.Length).Select(i => (long)i)];
        string groupsOf = Node(graph, "Reshape", prefix + ".groups", [input, Int64Initializer(graph, prefix + ".grouped", grouped, grouped.Length)]);
        string swapped = Node(graph, "Transpose", prefix + ".swapped", [groupsOf], Ints("perm", perm));
        return Node(graph, "Reshape", prefix + ".shuffle", [swapped, Int64Initializer(graph, prefix + ".back", back, back.Length)]);
    }

    /// <summary>A ChannelScale's gate <paramref name="input"/> of <paramref name="shape"/> in the form ONNX broadcasts over an
    /// activation of <paramref name="scaled"/>: N×C×1×1 for an image (a vector gate Unsqueezed at axes 2 and 3), N×C for a
    /// vector (a 1×1 image gate flattened).</summary>
    private static string Gate(GraphProto graph, string prefix, string input, TensorShape shape, TensorShape scaled) =>
        (ChannelsFirst.IsImage(scaled), ChannelsFirst.IsImage(shape)) switch
        {
            (true, false) => Node(graph, "Unsqueeze", prefix + ".gate", [input, Int64Initializer(graph, prefix + ".axes", [2, 3], 2)]),
            (false, true) => Node(graph, "Flatten", prefix + ".gate", [input]),
            _ => input,
        };

    private static string ToChannelsLast(GraphProto graph, string prefix, string input) =>
        Node(graph, "Transpose", prefix + ".nhwc", [input], Ints("perm", 0, 2, 3, 1));

    /// <summary>Adds the nodes of one model's layers to one graph, with the export's choice for int8 matrices (null: as each
    /// layer computes).</summary>
    private sealed class GraphWriter(GraphProto graph, Int8Export? int8)
    {
        /// <summary>The form of an int8 matrix of a matrix layer whose inputs are <paramref name="inputs"/>.</summary>
        private Int8Export Form(InputQuantization inputs) =>
            int8 ?? (inputs == InputQuantization.Dynamic ? Int8Export.Dynamic : Int8Export.Dequantize);

        public string MatMul(string name, string input, PackedMatrix weights, int[]? rowOrder, InputQuantization inputs)
        {
            long rows = weights.Rows, columns = weights.Columns;
            Int8Export form = Form(inputs);
            if (weights.ElementType == ElementType.Int8 && form == Int8Export.Dynamic) return DynamicMatMul(name, input, weights, rowOrder);
            string matrix = Weights(name, weights, form, columnAxis: 1, [rows, columns],
                values => rowOrder is null ? values : ChannelsFirst.RowsInOnnxOrder(values, weights.Columns, rowOrder),
                quantized => rowOrder is null ? quantized : ChannelsFirst.RowsInOnnxOrder(quantized, weights.Columns, rowOrder));
            return Node(graph, "MatMul", name + ".out", [input, matrix]);
        }

        /// <summary>A convolution whose runtime weights are (k·k·c_in) × c_out, written with ONNX's c_out × c_in × k × k kernel:
        /// a Conv, or with int8 weights in the dynamic form, quantize_dynamic's ConvInteger and the Add of the bias after it.
        /// Returns the tensor that completes the product, which an import pairs factors by, and the output, bias added.</summary>
        public (string Product, string Output) Conv(string name, string input, PackedMatrix weights, int inputChannels, ConvolutionGeometry geometry,
            ReadOnlyMemory<float> bias, InputQuantization inputs)
        {
            int k = geometry.KernelSize, outputChannels = weights.Columns;
            Int8Export form = Form(inputs);
            if (weights.ElementType == ElementType.Int8 && form == Int8Export.Dynamic)
            {
                string product = DynamicConv(name, input, weights, inputChannels, geometry);
                // An N×C×H×W sum: the bias broadcasts over the channels shaped 1×C×1×1, as quantize_dynamic reshapes a Conv's bias.
                return (product, bias.IsEmpty ? product
                    : Node(graph, "Add", name + ".biased", [product, Initializer(graph, name + ".bias", bias.ToArray(), 1, outputChannels, 1, 1)]));
            }
            string kernel = Weights(name + ".w", weights, form, columnAxis: 0, [outputChannels, inputChannels, k, k],
                values => ChannelsFirst.KernelToOnnx(values, inputChannels, k, outputChannels),
                quantized => ChannelsFirst.KernelToOnnx(quantized, inputChannels, k, outputChannels));
            string output = ConvNode(name, input, kernel, geometry, bias);
            return (output, output);
        }

        /// <summary>A depthwise convolution as ONNX writes one (PyTorch's Conv2d(c, c, k, groups=c)): a Conv of group c whose
        /// c × 1 × k × k kernel holds each channel's filter.</summary>
        public string DepthwiseConv(string prefix, string input, DepthwiseConv2dLayer layer)
        {
            int k = layer.Geometry.KernelSize, channels = layer.Channels;
            string kernel = Initializer(graph, prefix + ".w", ChannelsFirst.DepthwiseFiltersToOnnx(layer.Filters.Span, channels), channels, 1, k, k);
            return ConvNode(prefix, input, kernel, layer.Geometry, layer.Bias, Int("group", channels));
        }

        /// <summary>A Conv node over <paramref name="kernel"/> with the runtime's square window, padded side by side.</summary>
        private string ConvNode(string name, string input, string kernel, ConvolutionGeometry geometry, ReadOnlyMemory<float> bias, params AttributeProto[] extra)
        {
            List<string> inputs = [input, kernel];
            if (!bias.IsEmpty) inputs.Add(Initializer(graph, name + ".bias", bias.ToArray(), bias.Length));
            return Node(graph, "Conv", name + ".out", [.. inputs], [.. Window(geometry), .. extra]);
        }

        /// <summary>The attributes of the runtime's square window, padded side by side, for a Conv or a ConvInteger.</summary>
        private static AttributeProto[] Window(ConvolutionGeometry geometry)
        {
            long k = geometry.KernelSize, stride = geometry.Stride;
            return [Ints("kernel_shape", k, k), Ints("strides", stride, stride), Pads(geometry.Pads)];
        }

        public string AddBias(string prefix, string input, ReadOnlyMemory<float> bias) =>
            bias.IsEmpty ? input : Node(graph, "Add", prefix + ".biased", [input, Initializer(graph, prefix + ".bias", bias.ToArray(), bias.Length)]);

        public string Activate(string prefix, string input, Activation activation) =>
            activation == Activation.Relu ? Node(graph, "Relu", prefix + ".relu", [input]) : input;

        /// <summary>A weight tensor of <paramref name="dims"/>: f32 values, or, for an int8 matrix in <paramref name="form"/>
        /// <see cref="Int8Export.Dequantize"/>, int8 values with a DequantizeLinear over the axis that holds the matrix's columns
        /// (<paramref name="columnAxis"/>). Returns the name the consuming node reads.</summary>
        private string Weights(string name, PackedMatrix weights, Int8Export form, int columnAxis, long[] dims, Func<float[], float[]> floats, Func<sbyte[], sbyte[]> bytes)
        {
            if (weights.ElementType != ElementType.Int8 || form != Int8Export.Dequantize) return Initializer(graph, name, floats(weights.ToRowMajor()), dims);
            string quantized = Int8Initializer(graph, name + ".q", bytes(weights.QuantizedToRowMajor()), dims);
            string scales = Initializer(graph, name + ".scale", weights.Scales.ToArray(), weights.Columns);
            string zeros = Int8Initializer(graph, name + ".zero", new sbyte[weights.Columns], weights.Columns);
            return Node(graph, "DequantizeLinear", name, [quantized, scales, zeros], Int("axis", columnAxis));
        }

        private string DynamicMatMul(string name, string input, PackedMatrix weights, int[]? rowOrder)
        {
            long rows = weights.Rows, columns = weights.Columns;
            sbyte[] quantized = weights.QuantizedToRowMajor();
            if (rowOrder is not null) quantized = ChannelsFirst.RowsInOnnxOrder(quantized, weights.Columns, rowOrder);
            (string q, string scale, string zero) = DynamicQuantize(name, input);
            string product = Node(graph, "MatMulInteger", name + ".int32", [q, Int8Initializer(graph, name, quantized, rows, columns), zero]);
            return ScaledBack(name, product, scale, Initializer(graph, name + ".column-scales", weights.Scales.ToArray(), columns));
        }

        /// <summary>quantize_dynamic's ConvInteger over the int8 kernel (zero point 0, so no w_zero_point): the
        /// input quantized with one scale for the tensor, padded with its zero point (an exact 0) as ConvInteger pads, the sums
        /// scaled back per output channel (scales shaped 1×C×1×1 to broadcast over an N×C×H×W sum).</summary>
        private string DynamicConv(string name, string input, PackedMatrix weights, int inputChannels, ConvolutionGeometry geometry)
        {
            int k = geometry.KernelSize, outputChannels = weights.Columns;
            sbyte[] kernel = ChannelsFirst.KernelToOnnx(weights.QuantizedToRowMajor(), inputChannels, k, outputChannels);
            (string q, string scale, string zero) = DynamicQuantize(name, input);
            string product = Node(graph, "ConvInteger", name + ".int32", [q, Int8Initializer(graph, name + ".w", kernel, outputChannels, inputChannels, k, k), zero],
                Window(geometry));
            return ScaledBack(name, product, scale, Initializer(graph, name + ".channel-scales", weights.Scales.ToArray(), 1, outputChannels, 1, 1));
        }

        /// <summary>A DynamicQuantizeLinear of <paramref name="input"/>: its uint8 values, scale and zero point.</summary>
        private (string Values, string Scale, string ZeroPoint) DynamicQuantize(string name, string input)
        {
            string q = name + ".q", scale = name + ".q.scale", zero = name + ".q.zero";
            var quantize = new NodeProto { OpType = "DynamicQuantizeLinear", Name = q };
            quantize.Input.Add(input);
            quantize.Output.AddRange([q, scale, zero]);
            graph.Node.Add(quantize);
            return (q, scale, zero);
        }

        /// <summary>The int32 <paramref name="product"/> as f32, times the input's <paramref name="scale"/> times the weights'
        /// <paramref name="weightScales"/>: Cast, then Mul by Mul(scale, scales), the runtime's (float)Σ · (s · s_w).</summary>
        private string ScaledBack(string name, string product, string scale, string weightScales)
        {
            string floats = Node(graph, "Cast", name + ".float", [product], Int("to", (long)TensorProto.Types.DataType.Float));
            string scales = Node(graph, "Mul", name + ".scales", [scale, weightScales]);
            return Node(graph, "Mul", name + ".out", [floats, scales]);
        }
    }
}
