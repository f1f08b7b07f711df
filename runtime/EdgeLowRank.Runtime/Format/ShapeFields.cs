using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// Reads the shape fields the header (the input shape) and every tensor record share: a u32 rank,
/// then <see cref="TensorShape.MaxRank"/> u32 dimensions, the first rank of them 1 to 2^31-1 and the
/// rest 0. Unused slots must be zero so that stray bytes from a faulty writer are reported, not ignored.
/// </summary>
internal static class ShapeFields
{
    /// <summary>Reads and checks the rank at <paramref name="rankAt"/> and the dimensions at <paramref name="dimsAt"/>.</summary>
    /// <param name="file">The whole file.</param>
    /// <param name="rankAt">The offset of the rank field.</param>
    /// <param name="dimsAt">The offset of the first dimension field.</param>
    /// <param name="owner">What the shape belongs to, at the start of each message ("The input shape").</param>
    /// <exception cref="ModelFormatException">The rank or a dimension is out of range.</exception>
    public static int[] Read(ReadOnlySpan<byte> file, int rankAt, int dimsAt, string owner)
    {
        uint rank = file.U32(rankAt);
        if (rank is 0 or > TensorShape.MaxRank)
            throw new ModelFormatException($"{owner} has {rank} dimensions; a shape has 1 to {TensorShape.MaxRank}. {CopyAgain}", rankAt);
        var dims = new int[rank];
        for (int i = 0; i < TensorShape.MaxRank; i++)
        {
            int field = dimsAt + i * sizeof(uint);
            uint d = file.U32(field);
            bool used = i < rank;
            if (used ? d is 0 or > int.MaxValue : d != 0)
                throw new ModelFormatException($"{owner}: dimension {i} is {d}; expected {(used ? "1 to 2^31-1" : "0 (unused)")} for a rank-{rank} shape. {CopyAgain}", field);
            if (used) dims[i] = (int)d;
        }
        return dims;
    }
}
