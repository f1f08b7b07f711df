using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// The forms ONNX Runtime's quantize_dynamic writes that the runtime cannot compute, each refused with what was found and what
/// to do instead: uint8 weights (its <c>weight_type=QUInt8</c>, quantized with a zero point), and an int32 bias added to a
/// ConvInteger's sums before the Cast (as its earlier versions wrote a Conv's bias). (A quantized tensor it shares among
/// several products is read: <see cref="DynamicProductNodes"/>.)
/// </summary>
internal static class DynamicFormRefusals
{
    private const string Instead = "import the float model and quantize it with elr quantize (--activations dynamic)";

    /// <summary>Refuses weights <paramref name="w"/> of <paramref name="integer"/> that are not int8: uint8 ones name their zero
    /// point <paramref name="zero"/>, which the runtime's weights do not have.</summary>
    public static void RequireInt8Weights(NodeProto integer, TensorProto w, TensorProto? zero, NodeAttributes a)
    {
        if (w.DataType == (int)TensorProto.Types.DataType.Int8) return;
        string found = OnnxTensors.TypeName(w.DataType);
        if (w.DataType == (int)TensorProto.Types.DataType.Uint8 && zero?.DataType == (int)TensorProto.Types.DataType.Uint8)
        {
            byte[] points = OnnxTensors.UInt8s(zero, a.Where);
            found += $" with zero point{(points.Length == 1 ? "" : "s")} {string.Join(", ", points.Distinct().Take(4))}{(points.Distinct().Count() > 4 ? ", …" : "")}";
        }
        // Only uint8 weights are what quantize_dynamic's weight_type=QUInt8 writes; for any other type the tool's option is no remedy.
        bool uint8 = w.DataType == (int)TensorProto.Types.DataType.Uint8;
        throw new OnnxImportException($"{a.Where}: the weights of the {integer.OpType} '{integer.Name}' are {found}{(uint8 ? " (quantize_dynamic's weight_type=QUInt8)" : "")}; "
            + "the runtime multiplies uint8 inputs by int8 weights of zero point 0: "
            + (uint8 ? $"quantize with weight_type=QuantType.QInt8, or {Instead}." : $"{Instead}."));
    }

    /// <summary>Refuses an Add of <paramref name="integer"/>'s int32 sums before the Cast: a bias quantized as it runs
    /// (Mul of the scales, Div, Floor, Cast to int32), which the runtime, adding its f32 bias after the scaling, does not round.</summary>
    public static void RequireFloatBias(GraphProto graph, NodeProto integer, NodeAttributes a)
    {
        if (!graph.Node.Any(n => n.OpType == "Add" && n.Input.Contains(integer.Output[0]))) return;
        throw new OnnxImportException($"{a.Where}: the int32 sums '{integer.Output[0]}' of the {integer.OpType} '{integer.Name}' go to an Add before the Cast (an int32 bias, as "
            + "earlier versions of quantize_dynamic wrote a Conv's bias); expected a Cast to float, then the scaling, then the bias in f32 (as its later "
            + $"versions write it): quantize the float model with a current ONNX Runtime, or {Instead}.");
    }
}
