namespace EdgeLowRank.Runtime.IO;

/// <summary>The element types of a .npy file that <see cref="NpyArray"/> reads: little-endian integers of 8 to 64 bits,
/// float32 and float64 — what NumPy and PyTorch write for images and labels.</summary>
internal enum NpyDataType
{
    /// <summary>'|u1': 8-bit pixels, or small labels.</summary>
    UInt8,

    /// <summary>'|i1'.</summary>
    Int8,

    /// <summary>'&lt;u2'.</summary>
    UInt16,

    /// <summary>'&lt;i2'.</summary>
    Int16,

    /// <summary>'&lt;u4'.</summary>
    UInt32,

    /// <summary>'&lt;i4'.</summary>
    Int32,

    /// <summary>'&lt;u8'.</summary>
    UInt64,

    /// <summary>'&lt;i8': NumPy's and PyTorch's default integer, so most label arrays.</summary>
    Int64,

    /// <summary>'&lt;f4'.</summary>
    Float32,

    /// <summary>'&lt;f8': NumPy's default float.</summary>
    Float64,
}
