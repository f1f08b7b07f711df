using EdgeLowRank.Runtime.Layers;
using Onnx;

namespace EdgeLowRank.Onnx;

/// <summary>A graph's input as the runtime takes it: one sample's shape, channels-last for an image.</summary>
internal static class GraphInput
{
    /// <summary>(features) for batch × features, (h, w, c) for batch × c × h × w.</summary>
    /// <exception cref="OnnxImportException">Not a float tensor of one of those ranks with known, positive dimensions.</exception>
    public static TensorShape ShapeOf(ValueInfoProto input)
    {
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxImportException($"the graph's input '{input.Name}' is not a float tensor; an image classifier takes float pixels.");
        var dims = tensor.Shape?.Dim.Skip(1).Select(d => d.DimValue).ToArray() ?? [];
        if (tensor.Shape is null || dims.Any(d => d is <= 0 or > int.MaxValue) || dims.Length is not (1 or 3))
            throw new OnnxImportException($"the graph's input '{input.Name}' must be batch × features or batch × channels × height × width, "
                + "with every dimension but the batch a positive number.");
        try
        {
            return dims.Length == 1 ? new TensorShape((int)dims[0]) : new TensorShape((int)dims[1], (int)dims[2], (int)dims[0]);
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"the graph's input '{input.Name}' is {string.Join("×", dims)} per sample: {e.Message}");
        }
    }

    /// <summary>The batch size the graph was exported for, when its input states one (torch.onnx.export without
    /// dynamic_axes writes the example's, usually 1); null for a symbolic batch dimension.</summary>
    public static long? FixedBatch(ValueInfoProto input) =>
        input.Type?.TensorType?.Shape?.Dim is [{ HasDimValue: true, DimValue: > 0 and var batch }, ..]
            ? batch : null;
}
