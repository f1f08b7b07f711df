using System.Runtime.CompilerServices;
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
        Read(tensor, where, DataType.Int8, t => t.Int32Data.Select(v => v is >= sbyte.MinValue and <= sbyte.MaxValue
            ? (sbyte)v
            : throw new OnnxImportException($"{where}: the int8 tensor '{t.Name}' holds {v}; the file is damaged.")).ToArray());

    /// <summary>Elements of a uint8 tensor (zero points of uint8 weights, which a refusal names; in int32_data when not raw).</summary>
    public static byte[] UInt8s(TensorProto tensor, string where) =>
        Read(tensor, where, DataType.Uint8, t => t.Int32Data.Select(v => v is >= byte.MinValue and <= byte.MaxValue
            ? (byte)v
            : throw new OnnxImportException($"{where}: the uint8 tensor '{t.Name}' holds {v}; the file is damaged.")).ToArray());

    /// <summary>Elements of an int64 tensor (a Reshape's shape).</summary>
    public static long[] Int64s(TensorProto tensor, string where) =>
        Read(tensor, where, DataType.Int64, t => t.Int64Data.ToArray());

    /// <summary>The ONNX name of a data type, for messages ("FLOAT16").</summary>
    public static string TypeName(int dataType) =>
        Enum.IsDefined((DataType)dataType) ? ((DataType)dataType).ToString().ToUpperInvariant() : $"type {dataType}";

    /// <summary>A data type as PyTorch and NumPy name it, with ONNX's name and number: "float64 (ONNX's DOUBLE, 11)".</summary>
    public static string ElementTypeName(int dataType)
    {
        string common = dataType switch
        {
            (int)DataType.Float => "float32",
            (int)DataType.Double => "float64",
            (int)DataType.Float16 => "float16",
            (int)DataType.Bfloat16 => "bfloat16",
            // PyTorch's names: int64, uint8, bool; float8_e4m3fn for ONNX's FLOAT8E4M3FN.
            _ when Enum.IsDefined((DataType)dataType) && dataType != (int)DataType.Undefined
                => ((DataType)dataType).ToString().ToLowerInvariant() is var name && name.StartsWith("float8", StringComparison.Ordinal) ? $"float8_{name[6..]}" : ((DataType)dataType).ToString().ToLowerInvariant(),
            _ => "",
        };
        string onnx = Enum.IsDefined((DataType)dataType) ? $"ONNX's {TypeName(dataType)}, {dataType}" : $"ONNX data type {dataType}, unknown here";
        return common.Length > 0 ? $"{common} ({onnx})"
            : dataType == (int)DataType.Undefined ? $"of no element type ({onnx})" : $"of an element type this import does not know ({onnx})";
    }

    /// <summary>Whether <paramref name="dataType"/> is a floating-point type of another precision than float32, which the
    /// model's exporter can be told to write as float32 (model.float() in PyTorch).</summary>
    public static bool IsOtherFloat(int dataType) =>
        dataType is (int)DataType.Double or (int)DataType.Float16 or (int)DataType.Bfloat16;

    /// <summary>How many values the typed field of <paramref name="type"/> holds.</summary>
    private static long TypedCount(TensorProto tensor, DataType type) => type switch
    {
        DataType.Float => tensor.FloatData.Count,
        DataType.Int8 or DataType.Uint8 => tensor.Int32Data.Count,
        DataType.Int64 => tensor.Int64Data.Count,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static T[] Read<T>(TensorProto tensor, string where, DataType expected, Func<TensorProto, T[]> typed) where T : unmanaged
    {
        if (tensor.DataType != (int)expected)
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' holds {TypeName(tensor.DataType)}; expected {TypeName((int)expected)}."
                + (expected == DataType.Float && IsOtherFloat(tensor.DataType)
                    ? $" Its values are {ElementTypeName(tensor.DataType)}; the runtime computes in float32: export the model after model.float()." : ""));
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' is stored outside the .onnx file (external data); save the model as one file.");
        string dims = string.Join("×", tensor.Dims);
        if (tensor.Dims.Any(d => d < 1))
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' has a dimension below 1 ({dims}).");
        long count;
        try
        {
            count = tensor.Dims.Aggregate(1L, (n, d) => checked(n * d));
        }
        catch (OverflowException)
        {
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' is {dims}, more elements than a file holds; the file is damaged.");
        }
        // raw_data is little-endian, as every CPU the runtime targets (x64, arm64) is.
        long rawCount = tensor.RawData.Length / Unsafe.SizeOf<T>();
        bool whole = tensor.RawData.Length % Unsafe.SizeOf<T>() == 0;
        long found = tensor.RawData.Length > 0 ? rawCount : TypedCount(tensor, expected);
        if (found != count || !whole)
            throw new OnnxImportException($"{where}: the tensor '{tensor.Name}' has {(whole ? $"{found} values" : $"{tensor.RawData.Length} bytes")} for its dimensions {dims} ({count}); the file is damaged.");
        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, T>(tensor.RawData.Span).ToArray() : typed(tensor);
    }
}
