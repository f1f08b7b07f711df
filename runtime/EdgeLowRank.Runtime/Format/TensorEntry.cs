using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using T = EdgeLowRank.Runtime.Format.FileLayout.Tensor;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One validated tensor record: an f32 tensor whose bytes lie, aligned, inside the DATA section.</summary>
/// <param name="Layout">Row-major or panel-16.</param>
/// <param name="Dims">The logical dimensions (for panel-16: rows, columns).</param>
/// <param name="DataOffset">Where its bytes start (a multiple of 64).</param>
/// <param name="ElementCount">The number of stored floats, padding included.</param>
/// <param name="RecordOffset">Where its record is, for messages.</param>
internal sealed record TensorEntry(TensorLayout Layout, int[] Dims, int DataOffset, int ElementCount, int RecordOffset)
{
    /// <summary>The byte after the tensor's data.</summary>
    public long DataEnd => DataOffset + (long)ElementCount * sizeof(float);

    /// <summary>For example "300×100 panel-16".</summary>
    public string Describe() => $"{string.Join('×', Dims)} {(Layout == TensorLayout.Panel16 ? "panel-16" : "row-major")}";

    /// <summary>Reads and checks every tensor record of <paramref name="tensors"/>, then that no two tensors share bytes.</summary>
    public static TensorEntry[] ReadAll(ReadOnlySpan<byte> file, Section tensors, Section data, int fileMinor)
    {
        var entries = new TensorEntry[tensors.Count];
        for (int i = 0; i < entries.Length; i++)
            entries[i] = Read(file, tensors.Offset + i * tensors.RecordSize, i, data, fileMinor);
        var byOffset = entries.OrderBy(e => e.DataOffset).ToArray();
        for (int i = 1; i < byOffset.Length; i++)
        {
            if (byOffset[i].DataOffset < byOffset[i - 1].DataEnd)
                throw new ModelFormatException($"Tensor data at byte {byOffset[i].DataOffset} overlaps the tensor at {byOffset[i - 1].DataOffset} to {byOffset[i - 1].DataEnd}; tensors never share bytes. {CopyAgain}", byOffset[i].RecordOffset + T.DataOffset);
        }
        return entries;
    }

    private static TensorEntry Read(ReadOnlySpan<byte> file, int at, int index, Section data, int fileMinor)
    {
        string name = $"Tensor {index} (record at byte {at})";
        uint type = file.U32(at + T.ElementType);
        if (type != (uint)ElementType.Float32)
            throw new ModelFormatException(Enum.IsDefined((ElementType)type)
                ? $"{name} holds {(ElementType)type} elements; the format reserves that type, but this reader runs Float32 only. HINT: upgrade EdgeLowRank, or export the model as Float32."
                : $"{name} has element type {type}; this reader knows 1 (Float32), 2 (Float16) and 3 (Int8RowScaled). {Upgrade(fileMinor)}", at + T.ElementType);
        uint layout = file.U32(at + T.Layout);
        if (!Enum.IsDefined((TensorLayout)layout))
            throw new ModelFormatException($"{name} has layout {layout}; expected 1 (row-major) or 2 (panel-16). {Upgrade(fileMinor)}", at + T.Layout);
        uint rank = file.U32(at + T.Rank);
        if (layout == (uint)TensorLayout.Panel16 && rank != 2)
            throw new ModelFormatException($"{name} has {rank} dimensions; expected 2 for a panel-16 matrix. {CopyAgain}", at + T.Rank);
        int[] dims = ShapeFields.Read(file, at + T.Rank, at + T.Dims, name);
        long elements = StoredElements((TensorLayout)layout, dims);
        if (elements > int.MaxValue)
            throw new ModelFormatException($"{name}: {string.Join('×', dims)} stored as {(TensorLayout)layout} is {elements} floats; a tensor holds at most 2^31-1. {CopyAgain}", at + T.Dims);
        ulong byteLength = file.U64(at + T.ByteLength);
        if (byteLength != (ulong)elements * sizeof(float))
            throw new ModelFormatException($"{name} declares {byteLength} bytes, but {string.Join('×', dims)} Float32 stored as {(TensorLayout)layout} take {elements * sizeof(float)}. {CopyAgain}", at + T.ByteLength);
        ulong offset = file.U64(at + T.DataOffset);
        if (offset % FormatConstants.TensorAlignment != 0)
            throw new ModelFormatException($"{name} starts at byte {offset}, which is not a multiple of {FormatConstants.TensorAlignment}; tensors are aligned so a mapped file runs in place. {CopyAgain}", at + T.DataOffset);
        if (!SpanReading.Fits(offset, byteLength, data.Offset, data.End))
            throw new ModelFormatException($"{name} claims bytes {offset} to {offset + byteLength}, outside the DATA section ({data.Offset} to {data.End}). {CopyAgain}", at + T.DataOffset);
        if (file.U64(at + T.ScaleOffset) != 0 || file.U64(at + T.ScaleLength) != 0)
            throw new ModelFormatException($"{name} is Float32 but has a row-scale block; scales belong to Int8RowScaled tensors only. {CopyAgain}", at + T.ScaleOffset);
        return new TensorEntry((TensorLayout)layout, dims, (int)offset, (int)elements, at);
    }

    /// <summary>The floats the layout stores, computed in long from dimensions below 2^31 and stopped
    /// as soon as it passes int.MaxValue, so it cannot overflow.</summary>
    private static long StoredElements(TensorLayout layout, int[] dims)
    {
        if (layout == TensorLayout.Panel16)
            return PackedMatrix.PackedLength(dims[0], dims[1]);
        long count = 1;
        foreach (int d in dims)
        {
            count *= d;
            if (count > int.MaxValue) return count;
        }
        return count;
    }
}
