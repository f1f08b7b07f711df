using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Native;

/// <summary>elr_shape of include/elr.h: a sample's shape, outermost dimension first, unused dimensions 0.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeShape
{
    /// <summary>ELR_MAX_RANK, which must be the runtime's largest rank.</summary>
    public const int MaxRank = 4;

    /// <summary>The number of dimensions.</summary>
    public int Rank;

    /// <summary>The dimensions; those from <see cref="Rank"/> on are 0. An inline array, not a fixed buffer, as
    /// <see cref="NativeOptions.Reserved"/> is and for the same reason.</summary>
    public DimensionArray Dims;

    /// <summary>Writes <paramref name="shape"/> into <paramref name="target"/>.</summary>
    public static void Write(TensorShape shape, NativeShape* target)
    {
        // The header's array is fixed in the ABI; a runtime with deeper shapes needs a new API version.
        System.Diagnostics.Debug.Assert(TensorShape.MaxRank == MaxRank);
        *target = default;
        target->Rank = shape.Rank;
        for (int i = 0; i < shape.Rank; i++) target->Dims[i] = shape[i];
    }

    /// <summary>ELR_MAX_RANK ints.</summary>
    [InlineArray(MaxRank)]
    public struct DimensionArray
    {
        private int _dimension;
    }
}
