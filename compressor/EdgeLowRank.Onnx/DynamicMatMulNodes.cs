using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// ONNX Runtime's quantize_dynamic form of x·W, as it and <c>elr export-onnx</c> write a matrix layer whose inputs are
/// quantized as it runs: DynamicQuantizeLinear(x) → (q, s, z); MatMulInteger(q, W, z[, 0]) with W an int8 initializer whose
/// zero point is 0; Cast to float; Mul of that by Mul(s, column scales) (either order in each Mul). The five nodes are one
/// matrix product of int8 weights with <see cref="Runtime.Layers.InputQuantization.Dynamic"/> inputs; any other use of their
/// tensors is refused, since the runtime computes none of them.
/// </summary>
internal static class DynamicMatMulNodes
{
    /// <summary>The pattern read from a DynamicQuantizeLinear.</summary>
    /// <param name="Weights">W, int8 with its scales along axis 1 (or one scale), as a DequantizeLinear of it would give.</param>
    /// <param name="End">The final Mul, whose output is the product and whose name an elr export records for a second factor.</param>
    /// <param name="Nodes">The indices of the four nodes after the DynamicQuantizeLinear, which the walk then skips.</param>
    public sealed record Pattern(WeightTensor Weights, NodeProto End, IReadOnlySet<int> Nodes);

    /// <summary>Reads the pattern that starts at <paramref name="quantize"/>.</summary>
    /// <exception cref="OnnxImportException">Its tensors are used otherwise, or the weights are not int8 with zero point 0.</exception>
    public static Pattern Read(GraphProto graph, NodeProto quantize, GraphWeights weights, NodeAttributes a)
    {
        a.AllowOnly();
        a.Require(quantize.Output.Count == 3, "expected its three outputs (y, y_scale, y_zero_point).");
        string q = quantize.Output[0], scale = quantize.Output[1], zero = quantize.Output[2];
        (int product, NodeProto matMul) = OnlyReader(graph, q, "MatMulInteger", a);
        a.Require(OnlyReader(graph, zero, "MatMulInteger", a).Index == product, "its zero point must go only to the MatMulInteger that takes its values.");
        a.Require(matMul.Input.Count >= 3 && matMul.Input[0] == q && matMul.Input[2] == zero,
            "its MatMulInteger must take its values as A and its zero point as a_zero_point (quantize_dynamic's form).");
        TensorProto w = weights.Constant(matMul.Input[1]) ?? throw new OnnxImportException($"{a.Where}: the MatMulInteger's weights '{matMul.Input[1]}' are no initializer.");
        if (w.DataType != (int)TensorProto.Types.DataType.Int8)
            throw new OnnxImportException($"{a.Where}: the MatMulInteger's weights are {OnnxTensors.TypeName(w.DataType)}; the runtime multiplies uint8 inputs by int8 weights.");
        a.Require(w.Dims.Count == 2, $"the MatMulInteger's weights are {string.Join("×", w.Dims)}; expected a matrix.");
        if (matMul.Input.Count > 3 && matMul.Input[3].Length > 0)
        {
            TensorProto? wZero = weights.Constant(matMul.Input[3]);
            a.Require(wZero is not null && OnnxTensors.Int8s(wZero, a.Where).All(z => z == 0), "the weights' zero point must be an initializer of zeros (symmetric int8 weights).");
        }
        (int cast, NodeProto toFloat) = OnlyReader(graph, matMul.Output[0], "Cast", a);
        a.Require(toFloat.Attribute.Count == 1 && toFloat.Attribute[0].Name == "to" && toFloat.Attribute[0].I == (long)TensorProto.Types.DataType.Float,
            "the MatMulInteger's sums must be cast to float.");
        (int scales, NodeProto scaleMul) = OnlyReader(graph, scale, "Mul", a);
        string columnScales = scaleMul.Input[0] == scale ? scaleMul.Input[1] : scaleMul.Input[0];
        TensorProto s = weights.Constant(columnScales) ?? throw new OnnxImportException($"{a.Where}: its scale is multiplied by '{columnScales}', which is no initializer.");
        (int end, NodeProto product2) = OnlyReader(graph, toFloat.Output[0], "Mul", a);
        a.Require(OnlyReader(graph, scaleMul.Output[0], "Mul", a).Index == end,
            "the float sums must be multiplied by the product of its scale and the weights' scales, in one Mul.");
        long columns = w.Dims[1];
        float[] values = OnnxTensors.Floats(s, a.Where);
        a.Require(values.Length == 1 || values.Length == columns,
            $"the weights' scales are {values.Length}; expected one, or one per column ({columns}).");
        var tensor = new WeightTensor(w.Dims.ToArray(), null, OnnxTensors.Int8s(w, a.Where), values, ScaleAxis: 1);
        return new Pattern(tensor, product2, new HashSet<int> { product, cast, scales, end });
    }

    /// <summary>The one node that reads <paramref name="tensor"/>, which must be a <paramref name="op"/>.</summary>
    private static (int Index, NodeProto Node) OnlyReader(GraphProto graph, string tensor, string op, NodeAttributes a)
    {
        var readers = graph.Node.Select((n, i) => (Index: i, Node: n)).Where(r => r.Node.Input.Contains(tensor)).ToArray();
        if (readers.Length != 1 || readers[0].Node.OpType != op || graph.Output.Any(o => o.Name == tensor))
            throw new OnnxImportException($"{a.Where}: '{tensor}' must go to one {op} only, as quantize_dynamic writes a matrix product "
                + "(DynamicQuantizeLinear, MatMulInteger, Cast, Mul by the scales); "
                + $"it goes to {(readers.Length == 0 ? "no node" : string.Join(", ", readers.Select(r => r.Node.OpType)))}.");
        return readers[0];
    }
}
