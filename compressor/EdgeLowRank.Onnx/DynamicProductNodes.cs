using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX Runtime's quantize_dynamic form of x·W or of a convolution, as it and <c>elr export-onnx</c> write a matrix layer whose
/// inputs are quantized as it runs: DynamicQuantizeLinear(x) → (q, s, z); MatMulInteger(q, W, z[, 0]) with W an int8 initializer
/// whose zero point is 0, or ConvInteger(q, W, z[, 0]) with an int8 c_out × c_in × k × k kernel (group 1, padded with z); Cast to
/// float; Mul of that by Mul(s, weight scales) (either order in each Mul), the scales one, or one per column (a matrix) or per
/// output channel shaped c×1×1 or 1×c×1×1 (a convolution). The five nodes are one product of int8 weights with
/// <see cref="InputQuantization.Dynamic"/> inputs. ONNX Runtime's tool quantizes a tensor once for every MatMul or Conv that
/// reads it, so one DynamicQuantizeLinear may feed several such products (a ResNet block's input, read by its first Conv and its
/// downsample; the two expands of a Fire module): each is a layer of its own, and since every dynamic layer quantizes its own
/// input per sample by the same rule (min and max with 0, uint8; docs/FORMAT.md, Int8 arithmetic), each computes the levels the
/// shared node gives all of them (at batch 1, where ONNX's one scale per tensor is the runtime's per sample). Any other use of
/// the pattern's tensors is refused, since the runtime computes none of them. ONNX Runtime's own tool adds a Conv's bias after
/// the last Mul through a Reshape of it (a weight: <see cref="WeightReshape"/>); its forms the runtime cannot compute are refused
/// by <see cref="DynamicFormRefusals"/>.
/// </summary>
internal static class DynamicProductNodes
{
    private const string Form = "as quantize_dynamic writes a matrix product or a convolution (DynamicQuantizeLinear, MatMulInteger or ConvInteger, Cast, "
        + "Mul by the scales)";

    /// <summary>One product read from a DynamicQuantizeLinear.</summary>
    /// <param name="Index">The MatMulInteger's or ConvInteger's index, where the walk makes the product's layer.</param>
    /// <param name="Integer">That node.</param>
    /// <param name="Weights">W, int8 with its scales along the output axis (axis 1 of a matrix, 0 of a kernel) or one scale, as
    /// a DequantizeLinear of it would give.</param>
    /// <param name="Convolution">Whether the product is a ConvInteger's, whose window the walk reads where it knows the image
    /// (<see cref="NodeAttributes.ConvolutionWindow"/>: auto_pad SAME pads by the image's size); false for a MatMulInteger.</param>
    /// <param name="End">The final Mul, whose output is the product and whose name an elr export records for a second factor.</param>
    /// <param name="Nodes">The indices of the Cast and the two Muls after the product's MatMulInteger or ConvInteger, which the walk
    /// then skips.</param>
    public sealed record Pattern(int Index, NodeProto Integer, WeightTensor Weights, bool Convolution, NodeProto End, IReadOnlySet<int> Nodes)
    {
        /// <summary>The inputs to each of the product's sums: W's rows, or a kernel's c_in·k·k.</summary>
        public long Inputs => Convolution ? Weights.Dims[1] * Weights.Dims[2] * Weights.Dims[3] : Weights.Dims[0];
    }

    /// <summary>The products that read <paramref name="quantize"/>'s outputs: one, or as ONNX Runtime's quantize_dynamic writes a
    /// tensor that several MatMuls or Convs read (it quantizes it once), one per MatMulInteger or ConvInteger that takes its values.
    /// Each becomes a layer of its own that quantizes the same input itself, by the same rule, so the levels are those the one
    /// DynamicQuantizeLinear shares.</summary>
    /// <exception cref="OnnxImportException">Its values go to another node, a product takes another zero point or scale, its
    /// tensors are used otherwise, the weights are not int8 with zero point 0, or the scales do not fit them.</exception>
    public static IReadOnlyList<Pattern> Read(GraphProto graph, NodeProto quantize, GraphWeights weights, NodeAttributes a)
    {
        a.AllowOnly();
        a.Require(quantize.Input.Count == 1 && quantize.Output.Count == 3, "expected its one input (x) and its three outputs (y, y_scale, y_zero_point).");
        string q = quantize.Output[0], scale = quantize.Output[1], zero = quantize.Output[2];
        (int Index, NodeProto Node)[] products = Readers(graph, q);
        if (products.Length == 0 || products.Any(p => p.Node.OpType is not ("MatMulInteger" or "ConvInteger")) || graph.Output.Any(o => o.Name == q))
            throw new OnnxImportException($"{a.Where}: its values '{q}' go to {Listed(graph, q, products)}; expected MatMulInteger or ConvInteger nodes only, "
                + $"each the start of one product {Form}.");
        foreach ((_, NodeProto integer) in products)
        {
            bool convolution = integer.OpType == "ConvInteger";
            a.Require(integer.Input.Count >= 3 && integer.Input[0] == q && integer.Input[2] == zero,
                $"the {integer.OpType} '{integer.Name}' takes ({string.Join(", ", integer.Input.Select(i => $"'{i}'"))}); expected its values '{q}' as "
                + $"{(convolution ? "x" : "A")} and its zero point '{zero}' as {(convolution ? "x_zero_point" : "a_zero_point")} (quantize_dynamic's form).");
        }
        (int Index, NodeProto Node)[] zeroReaders = Readers(graph, zero);
        a.Require(zeroReaders.Select(r => r.Index).SequenceEqual(products.Select(p => p.Index)) && graph.Output.All(o => o.Name != zero),
            $"its zero point '{zero}' goes to {Listed(graph, zero, zeroReaders)}; expected only the products that take its values ({Listed(products)}).");
        var read = products.Select(p => Product(graph, p.Index, p.Node, scale, weights, a)).ToArray();
        (int Index, NodeProto Node)[] scaleReaders = Readers(graph, scale);
        int[] scaleMuls = read.Select(r => r.ScaleMul).Order().ToArray();
        a.Require(scaleReaders.Select(r => r.Index).SequenceEqual(scaleMuls) && graph.Output.All(o => o.Name != scale),
            $"its scale '{scale}' goes to {Listed(graph, scale, scaleReaders)}; expected one Mul by the weights' scales for each product that takes its values "
            + $"({Listed(scaleMuls.Select(i => (i, graph.Node[i])).ToArray())}).");
        return read.Select(r => r.Product).ToArray();
    }

    /// <summary>The product that starts at <paramref name="integer"/>, node <paramref name="index"/>, whose inputs'
    /// scale is <paramref name="scale"/>, and the index of the Mul of that scale and the weights' scales.</summary>
    private static (Pattern Product, int ScaleMul) Product(GraphProto graph, int index, NodeProto integer, string scale, GraphWeights weights, NodeAttributes a)
    {
        string op = integer.OpType, product = $"the {op} '{integer.Name}'";
        bool convolution = op == "ConvInteger";
        TensorProto w = weights.Constant(integer.Input[1]) ?? throw new OnnxImportException($"{a.Where}: the weights '{integer.Input[1]}' of {product} are no initializer.");
        bool hasWeightZero = integer.Input.Count > 3 && integer.Input[3].Length > 0;
        TensorProto? wZero = hasWeightZero ? weights.Constant(integer.Input[3]) : null;
        DynamicFormRefusals.RequireInt8Weights(integer, w, wZero, a);
        a.Require(w.Dims.Count == (convolution ? 4 : 2), $"the weights of {product} are {string.Join("×", w.Dims)}; expected "
            + (convolution ? "a c_out × c_in × k × k kernel." : "a matrix."));
        a.Require(!hasWeightZero || wZero is not null && OnnxTensors.Int8s(wZero, a.Where).All(z => z == 0),
            $"the weights' zero point of {product} must be an initializer of zeros (symmetric int8 weights).");
        if (convolution) RequireConvolution(integer, index, w);
        DynamicFormRefusals.RequireFloatBias(graph, integer, a);
        (int cast, NodeProto toFloat) = OnlyReader(graph, integer.Output[0], ["Cast"], a);
        a.Require(toFloat.Attribute.Count == 1 && toFloat.Attribute[0].Name == "to" && toFloat.Attribute[0].I == (long)TensorProto.Types.DataType.Float,
            $"the sums of {product} must be cast to float.");
        (int end, NodeProto scaled) = OnlyReader(graph, toFloat.Output[0], ["Mul"], a);
        string factor = scaled.Input.Count == 2 && scaled.Input[0] == toFloat.Output[0] ? scaled.Input[1] : scaled.Input[0];
        int scales = graph.Node.ToList().FindIndex(n => n.Output.Contains(factor));
        NodeProto? scaleMul = scales < 0 ? null : graph.Node[scales];
        const string expected = "expected the product of its scale and the weights' scales, in one Mul.";
        a.Require(scaleMul is { OpType: "Mul", Input.Count: 2 } && scaleMul.Input.Contains(scale),
            $"the float sums of {product} are multiplied by '{factor}', {(scaleMul is null ? "no node's output" : $"the output of the {scaleMul.OpType} '{scaleMul.Name}'")}"
            + $"{(scaleMul?.OpType == "Mul" ? $" of ({string.Join(", ", scaleMul.Input.Select(i => $"'{i}'"))})" : "")}; {expected}");
        a.Require(OnlyReader(graph, factor, ["Mul"], a).Index == end, $"the float sums of {product} must be multiplied by the product of its scale and the weights' scales, in one Mul.");
        string weightScales = scaleMul!.Input[0] == scale ? scaleMul.Input[1] : scaleMul.Input[0];
        TensorProto s = weights.Constant(weightScales) ?? throw new OnnxImportException($"{a.Where}: its scale is multiplied by '{weightScales}', which is no initializer.");
        long outputs = w.Dims[convolution ? 0 : 1];
        float[] values = OnnxTensors.Floats(s, a.Where);
        a.Require(values.Length == 1 || values.Length == outputs && (!convolution || WeightTensor.FitsChannels(s.Dims.ToArray(), (int)outputs)),
            convolution
                ? $"the weights' scales of {product} are shaped ({string.Join(", ", s.Dims)}); expected one, or one per output channel ({outputs}) shaped (c, 1, 1) or (1, c, 1, 1)."
                : $"the weights' scales of {product} are {values.Length}; expected one, or one per column ({outputs}).");
        var tensor = new WeightTensor(w.Dims.ToArray(), null, OnnxTensors.Int8s(w, a.Where), values, ScaleAxis: convolution ? 0 : 1);
        return (new Pattern(index, integer, tensor, convolution, scaled, new HashSet<int> { cast, scales, end }), scales);
    }

    /// <summary>Refuses a ConvInteger the runtime's integer convolutions are not: of another group than 1 (the runtime keeps a
    /// depthwise convolution's filters f32), of a kernel that is not square, of attributes a Conv does not have.</summary>
    private static void RequireConvolution(NodeProto convInteger, int index, TensorProto w)
    {
        var a = new NodeAttributes(convInteger, index);
        a.AllowOnly("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        a.Require(a.Int("group", 1) == 1, "a grouped or depthwise ConvInteger is not supported: the runtime's integer convolutions are of group 1 "
            + "(a depthwise convolution's filters stay f32; import the float model).");
        a.Require(w.Dims[2] == w.Dims[3], $"the kernel is {string.Join("×", w.Dims)}; expected c_out × c_in × k × k (square).");
    }

    /// <summary>The one node that reads <paramref name="tensor"/>, which must be one of <paramref name="ops"/>.</summary>
    private static (int Index, NodeProto Node) OnlyReader(GraphProto graph, string tensor, string[] ops, NodeAttributes a)
    {
        var readers = Readers(graph, tensor);
        if (readers.Length != 1 || !ops.Contains(readers[0].Node.OpType) || graph.Output.Any(o => o.Name == tensor))
            throw new OnnxImportException($"{a.Where}: '{tensor}' must go to one {string.Join(" or ", ops)} only, {Form}; it goes to {Listed(graph, tensor, readers)}.");
        return readers[0];
    }

    /// <summary>The nodes that read <paramref name="tensor"/>, in order.</summary>
    private static (int Index, NodeProto Node)[] Readers(GraphProto graph, string tensor) =>
        graph.Node.Select((n, i) => (Index: i, Node: n)).Where(r => r.Node.Input.Contains(tensor)).ToArray();

    /// <summary>What <paramref name="readers"/> of <paramref name="tensor"/> are, for messages: each node's index, name and
    /// operator, and the graph's output if it is one.</summary>
    private static string Listed(GraphProto graph, string tensor, (int Index, NodeProto Node)[] readers)
    {
        string[] all = [.. readers.Select(r => $"node {r.Index} '{r.Node.Name}' ({r.Node.OpType})"), .. graph.Output.Where(o => o.Name == tensor).Select(_ => "the graph's output")];
        return all.Length == 0 ? "no node" : string.Join(", ", all);
    }

    private static string Listed((int Index, NodeProto Node)[] nodes) => string.Join(", ", nodes.Select(r => $"node {r.Index} '{r.Node.Name}' ({r.Node.OpType})"));

    /// <summary>How many nodes read <paramref name="quantize"/>'s values: in its form each is a product of its own, which
    /// quantizes the DynamicQuantizeLinear's input again, so each is a reader of that input (a path's first node).</summary>
    public static int Products(GraphProto graph, NodeProto quantize) =>
        Math.Max(1, graph.Node.Count(n => n.Input.Contains(quantize.Output[0])));
}
