using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A Squeeze read as the flatten it is, or as nothing. PyTorch writes one for <c>x.squeeze()</c> or <c>torch.squeeze(x, (2, 3))</c>
/// after a global average pooling (batch × C × 1 × 1 to batch × C), and TF converters before the classifier. The runtime's
/// tensors are images and vectors, each with the batch as a dimension of its own, so a Squeeze is read where it removes
/// axes of size 1 after the batch and leaves a vector (a flatten, whose element order is the same since at most one of the
/// axes it joins is longer than 1) or the tensor as it was. One may also leave a tensor on its way to a vector, that only a
/// further Squeeze reads (<c>x.squeeze(-1).squeeze(-1)</c>: batch × C × 1 between the two), which the walk holds as the image
/// it was.
/// </summary>
internal static class SqueezeNodes
{
    private const string Supported = "A Squeeze is read where it removes axes of size 1 after the batch and leaves a vector (batch × C from batch × C × 1 × 1), "
        + "the tensor as it was, or a tensor with at most one axis longer than 1 for a further Squeeze to make a vector";

    /// <summary>The dimensions after the batch, in ONNX's order, that <paramref name="node"/>, a Squeeze of the chain's tensor of
    /// <paramref name="dims"/>, leaves: one (a vector), as many as before (nothing squeezed), or, on the way to a vector, more
    /// with at most one longer than 1. Its axes are an attribute before opset 13 and an input from it (<see cref="OperatorTable"/>
    /// refuses the other form); without them it removes every axis of size 1 but the batch, which the runtime keeps whatever
    /// its size.</summary>
    /// <exception cref="OnnxImportException">An axis out of range, given twice, the batch's, or longer than 1; axes computed in the
    /// graph; a tensor left that no Squeeze can make a vector, or the batch alone.</exception>
    public static int[] Read(NodeProto node, NodeAttributes a, GraphWeights weights, int[] dims)
    {
        a.AllowOnly("axes");
        int rank = dims.Length + 1;
        string tensor = $"batch × {string.Join(" × ", dims)}";
        long[]? given = weights.Axes(node, a);
        long[] axes = given?.Select(x => x < 0 ? x + rank : x).ToArray() ?? Enumerable.Range(1, dims.Length).Where(d => dims[d - 1] == 1).Select(d => (long)d).ToArray();
        string named = $"axes ({string.Join(", ", given ?? [])})";
        a.Require(axes.All(x => x >= 0 && x < rank) && axes.Distinct().Count() == axes.Length,
            $"its {named} do not name distinct axes of the {tensor} tensor (from {-rank} to {rank - 1}, each once).");
        a.Require(!axes.Contains(0), $"its {named} squeeze the batch (axis 0) of the {tensor} tensor; the runtime keeps the batch as a dimension of its own, "
            + $"whatever its size. {Supported}: leave axis 0 out (x.squeeze((2, 3)), or torch.flatten(x, 1)).");
        if (axes.FirstOrDefault(x => dims[x - 1] != 1) is > 0 and var longer)   // 0: none (the batch is refused above)
            throw new OnnxImportException($"{a.Where}: its {named} squeeze axis {longer} of the {tensor} tensor, of size {dims[longer - 1]}; a Squeeze removes "
                + "only axes of size 1 (ONNX Runtime refuses this one too). Squeeze the axes of size 1, or flatten the tensor (torch.flatten(x, 1)).");
        int[] left = dims.Where((_, i) => !axes.Contains(i + 1)).ToArray();
        a.Require(left.Length >= 1, $"it squeezes every axis of the {tensor} tensor, leaving the batch alone (a shape of batch, not batch × 1), and the runtime's "
            + $"tensors keep an axis after the batch. {Supported}.");
        a.Require(left.Length == 1 || left.Length == dims.Length || left.Count(d => d > 1) <= 1, $"its {named} leave batch × {string.Join(" × ", left)}, "
            + "which no Squeeze makes a vector; the runtime's tensors are images (batch × C × H × W) and vectors (batch × n). "
            + $"{Supported}: flatten it (torch.flatten(x, 1)) where a vector is meant.");
        return left;
    }
}
