using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A Reshape of a float weight by a constant shape, which is that weight under other dimensions. ONNX Runtime's quantize_dynamic
/// writes one for a Conv's bias: its Add comes after the ConvInteger's scaling, so it reshapes the bias (c) to (1, −1, 1, 1)
/// for the Add to broadcast it over the channels. torch.onnx.export reshapes int64 constants so in a Pad's pads
/// (<see cref="ConstantFolding"/>).
/// </summary>
internal static class WeightReshape
{
    /// <summary>Whether <paramref name="node"/> is a Reshape of a constant (<paramref name="isConstant"/>) by a constant shape.</summary>
    public static bool Reads(NodeProto node, Func<string, bool> isConstant) =>
        node.OpType == "Reshape" && node.Input.Count == 2 && isConstant(node.Input[0]) && isConstant(node.Input[1]);

    /// <summary><paramref name="data"/> with the dimensions <paramref name="shape"/> gives, named <paramref name="output"/>: an entry
    /// of 0 keeps the dimension it stands at (unless <c>allowzero</c>), one of −1 takes what the others leave.</summary>
    /// <exception cref="OnnxImportException">The data are neither float nor int64, the shape not int64, or the shape does not fit the values.</exception>
    public static TensorProto Reshaped(TensorProto data, TensorProto shape, string output, NodeAttributes a)
    {
        a.AllowOnly("allowzero");
        long count = data.DataType == (int)TensorProto.Types.DataType.Int64 ? OnnxTensors.Int64s(data, a.Where).Length : OnnxTensors.Floats(data, a.Where).Length;
        long[] target = OnnxTensors.Int64s(shape, a.Where);
        bool zeroKeeps = a.Int("allowzero", 0) == 0;
        long[] dims = target.Select((d, i) => d == 0 && zeroKeeps && i < data.Dims.Count ? data.Dims[i] : d).ToArray();
        long known = Product(dims.Where(d => d != -1), count);
        if (dims.Count(d => d == -1) == 1 && known > 0 && count % known == 0) dims = dims.Select(d => d == -1 ? count / known : d).ToArray();
        a.Require(Product(dims, count) == count,
            $"the weight '{data.Name}' ({string.Join("×", data.Dims)}) cannot be reshaped to ({string.Join(", ", target)}).");
        TensorProto reshaped = data.Clone();
        reshaped.Name = output;
        reshaped.Dims.Clear();
        reshaped.Dims.AddRange(dims);
        return reshaped;
    }

    /// <summary>The product of <paramref name="dims"/>, or −1 if one is below 1 or the product passes <paramref name="limit"/>
    /// (a damaged shape, which must not overflow into a plausible count).</summary>
    private static long Product(IEnumerable<long> dims, long limit)
    {
        long n = 1;
        foreach (long d in dims)
        {
            if (d < 1 || n > limit / d) return -1;
            n *= d;
        }
        return n;
    }
}
