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
        if (tensor is null)
            throw new OnnxImportException($"the graph's input '{input.Name}' is not a tensor (its type is {(input.Type is null ? "missing" : input.Type.ValueCase.ToString())}); "
                + "an image classifier here takes a float32 tensor of pixels.");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxImportException($"the graph's input '{input.Name}' is {OnnxTensors.ElementTypeName(tensor.ElemType)}; the runtime takes float32 inputs "
                + $"and computes in float32. {WhatToDo(tensor.ElemType)}");
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

    /// <summary>What to do about an input of <paramref name="elemType"/>, not float32.</summary>
    private static string WhatToDo(int elemType) => elemType switch
    {
        _ when OnnxTensors.IsOtherFloat(elemType) =>
            "Export the model in float32: in PyTorch, model.float() before torch.onnx.export, with a float32 example input (torch.float32).",
        (int)TensorProto.Types.DataType.Uint8 or (int)TensorProto.Types.DataType.Int8 or (int)TensorProto.Types.DataType.Uint16
            or (int)TensorProto.Types.DataType.Int16 =>
            "Export the network with a float32 input and scale the pixels outside the graph (p / 255 for 8-bit images, as transforms.ToTensor does); "
            + "elr-run and libelr take integer pixels themselves, dividing them by the pixel scale the model records (elr import-onnx --pixel-max).",
        _ => "Export the network with a float32 input (torch.float32) of pixels.",
    };

    /// <summary>The batch size the graph was exported for, when its input states one (torch.onnx.export without
    /// dynamic_axes writes the example's, usually 1); null for a symbolic batch dimension.</summary>
    public static long? FixedBatch(ValueInfoProto input) =>
        input.Type?.TensorType?.Shape?.Dim is [{ HasDimValue: true, DimValue: > 0 and var batch }, ..]
            ? batch : null;
}
