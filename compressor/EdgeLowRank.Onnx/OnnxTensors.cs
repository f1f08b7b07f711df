using System.Runtime.InteropServices;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace EdgeLowRank.Onnx;

/// <summary>The values of an initializer or Constant tensor, checked against its dimensions.</summary>
internal static class OnnxTensors
{
    /// <summary>Elements of a float tensor.</summary>
    public static float[] Floats(TensorProto tensor, string where) =>
        Read(tensor, where, DataType.Float, t => t.FloatData.ToArray());

    /// <summary>Elements of an int8 tensor (ONNX keeps int8 in int32_data when not raw).</summary>
    public static sbyte[] Int8s(TensorProto tensor, string where) =>
        Read(tensor, where, DataType.Int8, t => t.Int32Data.Select(v => (sbyte)v).ToArray());

    /// <summary>Elements of an int64 tensor (a Reshape's shape).</summary>
    public static long[] Int64s(TensorProto tensor, string where) =>
        Read(tensor, where, DataType.Int64, t => t.Int64Data.ToArray());

    /// <summary>The number of elements its dimensions give.</summary>
    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (n, d) => n * d);

    /// <summary>The ONNX name of a data type, for messages ("FLOAT16").</summary>
    public static string TypeName(int dataType) =>
        Enum.IsDefined((DataType)dataType) ? ((DataType)dataType).ToString().ToUpperInvariant() : $"type {dataType}";

    private static T[] Read<T>(TensorProto tensor, string where, DataType expected, Func<TensorProto, T[]> typed) where T : unmanaged
    {
        if (tensor.DataType != (int)expected)
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' holds {TypeName(tensor.DataType)}; expected {TypeName((int)expected)}.");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' is stored outside the .onnx file (external data); save the model as one file.");
        if (tensor.Dims.Any(d => d < 0))
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' has a negative dimension ({string.Join("×", tensor.Dims)}).");
        long count = ElementCount(tensor);
        // raw_data is little-endian, as every CPU the runtime targets (x64, arm64) is.
        T[] values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, T>(tensor.RawData.Span).ToArray() : typed(tensor);
        return values.LongLength == count
            ? values
            : throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' has {values.LongLength} values for its dimensions {string.Join("×", tensor.Dims)} ({count}); the file is damaged.");
    }
}
