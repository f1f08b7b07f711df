namespace EdgeLowRank.Runtime.Layers;

/// <summary>The storage type of a tensor's elements (docs/FORMAT.md, "TENS").</summary>
internal enum ElementType : uint
{
    /// <summary>IEEE-754 single precision, little-endian.</summary>
    Float32 = 1,
    /// <summary>Reserved: IEEE-754 half precision.</summary>
    Float16 = 2,
    /// <summary>Since format 1.3: a weight matrix of signed 8-bit integers with one f32 scale per column (output):
    /// element (k, n) is q(k, n) × scale(n). The kernels widen the integers to f32 panel by panel; activations stay f32.</summary>
    Int8 = 3,
}
