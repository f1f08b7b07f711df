using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX Runtime's quantize_dynamic form of x·W or of a convolution, as it and <c>elr export-onnx</c> write a matrix layer whose
/// inputs are quantized as it runs: DynamicQuantizeLinear(x) → (q, s, z); MatMulInteger(q, W, z[, 0]) with W an int8 initializer
/// whose zero point is 0, or ConvInteger(q, W, z[, 0]) with an int8 c_out × c_in × k × k kernel (group 1, padded with z); Cast to
/// float; Mul of that by Mul(s, weight scales) (either order in each Mul), the scales one, or one per column (a matrix) or per
/// output channel shaped c×1×1 or 1×c×1×1 (a convolution). The five nodes are one product of int8 weights with
/// <see cref="InputQuantization.Dynamic"/> inputs; any other use of their tensors is refused, since the runtime computes none
/// of them. ONNX Runtime's own tool adds a Conv's bias after the last Mul through a Reshape of it (a weight: <see cref="WeightReshape"/>);
/// its forms the runtime cannot compute are refused by <see cref="DynamicFormRefusals"/>.
/// </summary>
internal static class DynamicProductNodes
{
    private const string Form = "as quantize_dynamic writes a matrix product or a convolution (DynamicQuantizeLinear, MatMulInteger or ConvInteger, Cast, "
        + "Mul by the scales)";

    /// <summary>The pattern read from a DynamicQuantizeLinear.</summary>
    /// <param name="Weights">W, int8 with its scales along the output axis (axis 1 of a matrix, 0 of a kernel) or one scale, as
    /// a DequantizeLinear of it would give.</param>
    /// <param name="Window">A ConvInteger's window; null for a MatMulInteger.</param>
    /// <param name="End">The final Mul, whose output is the product and whose name an elr export records for a second factor.</param>
    /// <param name="Nodes">The indices of the four nodes after the DynamicQuantizeLinear, which the walk then skips.</param>
    public sealed record Pattern(WeightTensor Weights, ConvolutionGeometry? Window, NodeProto End, IReadOnlySet<int> Nodes)
    {
        /// <summary>The inputs to each of the product's sums: W's rows, or a kernel's c_in·k·k.</summary>
        public long Inputs => Window is null ? Weights.Dims[0] : Weights.Dims[1] * Weights.Dims[2] * Weights.Dims[3];
    }

    /// <summary>Reads the pattern that starts at <paramref name="quantize"/>.</summary>
    /// <exception cref="OnnxImportException">Its tensors are used otherwise, the weights are not int8 with zero point 0, or the
    /// scales do not fit them.</exception>
    public static Pattern Read(GraphProto graph, NodeProto quantize, GraphWeights weights, NodeAttributes a)
    {
        a.AllowOnly();
        a.Require(quantize.Output.Count == 3, "expected its three outputs (y, y_scale, y_zero_point).");
        string q = quantize.Output[0], scale = quantize.Output[1], zero = quantize.Output[2];
        DynamicFormRefusals.RequireOneProduct(graph, q, a);
        (int product, NodeProto integer) = OnlyReader(graph, q, ["MatMulInteger", "ConvInteger"], a);
        string op = integer.OpType;
        bool convolution = op == "ConvInteger";
        a.Require(OnlyReader(graph, zero, [op], a).Index == product, $"its zero point must go only to the {op} that takes its values.");
        a.Require(integer.Input.Count >= 3 && integer.Input[0] == q && integer.Input[2] == zero,
            $"its {op} must take its values as {(convolution ? "x" : "A")} and its zero point as {(convolution ? "x_zero_point" : "a_zero_point")} (quantize_dynamic's form).");
        TensorProto w = weights.Constant(integer.Input[1]) ?? throw new OnnxImportException($"{a.Where}: the {op}'s weights '{integer.Input[1]}' are no initializer.");
        bool hasWeightZero = integer.Input.Count > 3 && integer.Input[3].Length > 0;
        TensorProto? wZero = hasWeightZero ? weights.Constant(integer.Input[3]) : null;
        DynamicFormRefusals.RequireInt8Weights(integer, w, wZero, a);
        a.Require(w.Dims.Count == (convolution ? 4 : 2), $"the {op}'s weights are {string.Join("×", w.Dims)}; expected "
            + (convolution ? "a c_out × c_in × k × k kernel." : "a matrix."));
        a.Require(!hasWeightZero || wZero is not null && OnnxTensors.Int8s(wZero, a.Where).All(z => z == 0),
            "the weights' zero point must be an initializer of zeros (symmetric int8 weights).");
        ConvolutionGeometry? window = convolution ? Window(integer, product, w) : null;
        DynamicFormRefusals.RequireFloatBias(graph, integer, a);
        (int cast, NodeProto toFloat) = OnlyReader(graph, integer.Output[0], ["Cast"], a);
        a.Require(toFloat.Attribute.Count == 1 && toFloat.Attribute[0].Name == "to" && toFloat.Attribute[0].I == (long)TensorProto.Types.DataType.Float,
            $"the {op}'s sums must be cast to float.");
        (int scales, NodeProto scaleMul) = OnlyReader(graph, scale, ["Mul"], a);
        string weightScales = scaleMul.Input[0] == scale ? scaleMul.Input[1] : scaleMul.Input[0];
        TensorProto s = weights.Constant(weightScales) ?? throw new OnnxImportException($"{a.Where}: its scale is multiplied by '{weightScales}', which is no initializer.");
        (int end, NodeProto product2) = OnlyReader(graph, toFloat.Output[0], ["Mul"], a);
        a.Require(OnlyReader(graph, scaleMul.Output[0], ["Mul"], a).Index == end,
            "the float sums must be multiplied by the product of its scale and the weights' scales, in one Mul.");
        long outputs = w.Dims[convolution ? 0 : 1];
        float[] values = OnnxTensors.Floats(s, a.Where);
        a.Require(values.Length == 1 || values.Length == outputs && (!convolution || WeightTensor.FitsChannels(s.Dims.ToArray(), (int)outputs)),
            convolution
                ? $"the weights' scales are shaped ({string.Join(", ", s.Dims)}); expected one, or one per output channel ({outputs}) shaped (c, 1, 1) or (1, c, 1, 1)."
                : $"the weights' scales are {values.Length}; expected one, or one per column ({outputs}).");
        var tensor = new WeightTensor(w.Dims.ToArray(), null, OnnxTensors.Int8s(w, a.Where), values, ScaleAxis: convolution ? 0 : 1);
        return new Pattern(tensor, window, product2, new HashSet<int> { product, cast, scales, end });
    }

    /// <summary>A ConvInteger's window over its square kernel <paramref name="w"/>, as a Conv's is read; group 1 only, since the
    /// runtime keeps a depthwise convolution's filters f32.</summary>
    private static ConvolutionGeometry Window(NodeProto convInteger, int index, TensorProto w)
    {
        var a = new NodeAttributes(convInteger, index);
        a.AllowOnly("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        a.Require(a.Int("group", 1) == 1, "a grouped or depthwise ConvInteger is not supported: the runtime's integer convolutions are of group 1 "
            + "(a depthwise convolution's filters stay f32; import the float model).");
        a.Require(w.Dims[2] == w.Dims[3], $"the kernel is {string.Join("×", w.Dims)}; expected c_out × c_in × k × k (square).");
        return a.ConvolutionWindow((int)w.Dims[2], string.Join("×", w.Dims));
    }

    /// <summary>The one node that reads <paramref name="tensor"/>, which must be one of <paramref name="ops"/>.</summary>
    private static (int Index, NodeProto Node) OnlyReader(GraphProto graph, string tensor, string[] ops, NodeAttributes a)
    {
        var readers = graph.Node.Select((n, i) => (Index: i, Node: n)).Where(r => r.Node.Input.Contains(tensor)).ToArray();
        if (readers.Length != 1 || !ops.Contains(readers[0].Node.OpType) || graph.Output.Any(o => o.Name == tensor))
            throw new OnnxImportException($"{a.Where}: '{tensor}' must go to one {string.Join(" or ", ops)} only, {Form}; "
                + $"it goes to {(readers.Length == 0 ? "no node" : string.Join(", ", readers.Select(r => r.Node.OpType)))}.");
        return readers[0];
    }
}
