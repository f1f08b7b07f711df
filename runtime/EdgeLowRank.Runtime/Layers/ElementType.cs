namespace EdgeLowRank.Runtime.Layers;

/// <summary>The storage type of a tensor's elements. Only <see cref="Float32"/> is executed today;
/// the other values are reserved in the format so that later readers and writers agree on them.</summary>
public enum ElementType : uint
{
    /// <summary>IEEE-754 single precision, little-endian.</summary>
    Float32 = 1,
    /// <summary>Reserved: IEEE-754 half precision.</summary>
    Float16 = 2,
    /// <summary>Reserved: signed 8-bit integers with one f32 scale per row.</summary>
    Int8RowScaled = 3,
}
