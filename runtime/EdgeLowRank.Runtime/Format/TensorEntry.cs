using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using T = EdgeLowRank.Runtime.Format.FileLayout.Tensor;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One validated tensor record: an f32 tensor, or an int8 matrix with its scale block, whose bytes lie, aligned,
/// inside the DATA section.</summary>
/// <param name="ElementType">Float32, or Int8 (since 1.3: a matrix, one f32 scale per column).</param>
/// <param name="Layout">Row-major or panel-16.</param>
/// <param name="Dims">The logical dimensions (for panel-16: rows, columns).</param>
/// <param name="DataOffset">Where its bytes start (a multiple of 64).</param>
/// <param name="ElementCount">The number of stored elements, padding included.</param>
/// <param name="ScaleOffset">Where an int8 matrix's scales start (a multiple of 64), one f32 per column; 0 for Float32.</param>
/// <param name="RecordOffset">Where its record is, for messages.</param>
internal sealed record TensorEntry(ElementType ElementType, TensorLayout Layout, int[] Dims, int DataOffset, int ElementCount, int ScaleOffset,
    int RecordOffset)
{
    /// <summary>The byte after the tensor's data.</summary>
    public long DataEnd => DataOffset + (long)ElementCount * ElementSize(ElementType);

    /// <summary>The byte after an int8 matrix's scales.</summary>
    public long ScaleEnd => ScaleOffset + (long)ScaleCount * sizeof(float);

    /// <summary>An int8 matrix's scales: one per column. 0 for Float32.</summary>
    public int ScaleCount => ElementType == ElementType.Int8 ? Dims[1] : 0;

    /// <summary>For example "300×100 panel-16" or "784×30 row-major int8".</summary>
    public string Describe() =>
        $"{string.Join('×', Dims)} {(Layout == TensorLayout.Panel16 ? "panel-16" : "row-major")}{(ElementType == ElementType.Int8 ? " int8" : "")}";

    private static int ElementSize(ElementType type) => type == ElementType.Int8 ? sizeof(sbyte) : sizeof(float);

    /// <summary>Reads and checks every tensor record of <paramref name="tensors"/>, then that no two tensors share bytes.</summary>
    public static TensorEntry[] ReadAll(ReadOnlySpan<byte> file, Section tensors, Section data, int fileMinor)
    {
        var entries = new TensorEntry[tensors.Count];
        for (int i = 0; i < entries.Length; i++)
            entries[i] = Read(file, tensors.Offset + i * tensors.RecordSize, i, data, fileMinor);
        // Every block of bytes, an int8 matrix's scales included, in file order: no two may share a byte.
        var blocks = entries.Select(e => (Start: (long)e.DataOffset, End: e.DataEnd, Field: e.RecordOffset + T.DataOffset, What: "tensor data"))
            .Concat(entries.Where(e => e.ScaleCount > 0).Select(e => (Start: (long)e.ScaleOffset, End: e.ScaleEnd, Field: e.RecordOffset + T.ScaleOffset, What: "int8 scales")))
            .OrderBy(b => b.Start).ToArray();
        for (int i = 1; i < blocks.Length; i++)
        {
            if (blocks[i].Start < blocks[i - 1].End)
                throw new ModelFormatException($"The {blocks[i].What} at byte {blocks[i].Start} overlap the {blocks[i - 1].What} at {blocks[i - 1].Start} to {blocks[i - 1].End}; tensors never share bytes. {CopyAgain}", blocks[i].Field);
        }
        return entries;
    }

    private static TensorEntry Read(ReadOnlySpan<byte> file, int at, int index, Section data, int fileMinor)
    {
        string name = $"Tensor {index} (record at byte {at})";
        uint type = file.U32(at + T.ElementType);
        if (type is not ((uint)ElementType.Float32 or (uint)ElementType.Int8))
            throw new ModelFormatException(Enum.IsDefined((ElementType)type)
                ? $"{name} holds {(ElementType)type} elements; the format reserves that type, but this reader runs Float32 and Int8 only. HINT: upgrade EdgeLowRank, or export the model as Float32."
                : $"{name} has element type {type}; this reader knows 1 (Float32), 2 (Float16, reserved) and 3 (Int8). {Upgrade(fileMinor)}", at + T.ElementType);
        var elementType = (ElementType)type;
        uint layout = file.U32(at + T.Layout);
        if (!Enum.IsDefined((TensorLayout)layout))
            throw new ModelFormatException($"{name} has layout {layout}; expected 1 (row-major) or 2 (panel-16). {Upgrade(fileMinor)}", at + T.Layout);
        uint rank = file.U32(at + T.Rank);
        if (layout == (uint)TensorLayout.Panel16 && rank != 2)
            throw new ModelFormatException($"{name} has {rank} dimensions; expected 2 for a panel-16 matrix. {CopyAgain}", at + T.Rank);
        int[] dims = ShapeFields.Read(file, at + T.Rank, at + T.Dims, name);
        long elements = StoredElements((TensorLayout)layout, dims);
        if (elements > int.MaxValue)
            throw new ModelFormatException($"{name}: {string.Join('×', dims)} stored as {(TensorLayout)layout} is {elements} elements; a tensor holds at most 2^31-1. {CopyAgain}", at + T.Dims);
        if (elementType == ElementType.Int8 && dims.Length != 2)
            throw new ModelFormatException($"{name} is Int8 with {dims.Length} dimensions; int8 tensors are weight matrices (2 dimensions, one scale per column). {CopyAgain}", at + T.Rank);
        ulong byteLength = file.U64(at + T.ByteLength);
        long expectedBytes = elements * ElementSize(elementType);
        if (byteLength != (ulong)expectedBytes)
            throw new ModelFormatException($"{name} declares {byteLength} bytes, but {string.Join('×', dims)} {elementType} stored as {(TensorLayout)layout} take {expectedBytes}. {CopyAgain}", at + T.ByteLength);
        ulong offset = file.U64(at + T.DataOffset);
        if (offset % FormatConstants.TensorAlignment != 0)
            throw new ModelFormatException($"{name} starts at byte {offset}, which is not a multiple of {FormatConstants.TensorAlignment}; tensors are aligned so a mapped file runs in place. {CopyAgain}", at + T.DataOffset);
        if (!SpanReading.Fits(offset, byteLength, data.Offset, data.End))
            throw new ModelFormatException($"{name} claims bytes {offset} to {offset + byteLength}, outside the DATA section ({data.Offset} to {data.End}). {CopyAgain}", at + T.DataOffset);
        ulong scaleOffset = file.U64(at + T.ScaleOffset), scaleLength = file.U64(at + T.ScaleLength);
        if (elementType == ElementType.Float32)
        {
            if (scaleOffset != 0 || scaleLength != 0)
                throw new ModelFormatException($"{name} is Float32 but has a scale block; scales belong to Int8 tensors only. {CopyAgain}", at + T.ScaleOffset);
            return new TensorEntry(elementType, (TensorLayout)layout, dims, (int)offset, (int)elements, 0, at);
        }
        ulong expectedScaleBytes = (ulong)dims[1] * sizeof(float);
        if (scaleLength != expectedScaleBytes)
            throw new ModelFormatException($"{name} declares {scaleLength} bytes of scales; an int8 {string.Join('×', dims)} matrix has one f32 scale per column, {expectedScaleBytes} bytes. {CopyAgain}", at + T.ScaleLength);
        if (scaleOffset % FormatConstants.TensorAlignment != 0)
            throw new ModelFormatException($"{name}'s scales start at byte {scaleOffset}, which is not a multiple of {FormatConstants.TensorAlignment}. {CopyAgain}", at + T.ScaleOffset);
        if (!SpanReading.Fits(scaleOffset, scaleLength, data.Offset, data.End))
            throw new ModelFormatException($"{name}'s scales claim bytes {scaleOffset} to {scaleOffset + scaleLength}, outside the DATA section ({data.Offset} to {data.End}). {CopyAgain}", at + T.ScaleOffset);
        ReadOnlySpan<float> scales = MemoryMarshal.Cast<byte, float>(file.Slice((int)scaleOffset, (int)scaleLength));
        int bad = PackedMatrix.IndexOfInvalidScale(scales);
        if (bad >= 0)
            throw new ModelFormatException($"{name}: the scale of column {bad} (byte {(int)scaleOffset + bad * sizeof(float)}) is {scales[bad]}; a scale is not negative, and 128 times it is finite. {CopyAgain}", (int)scaleOffset + bad * sizeof(float));
        return new TensorEntry(elementType, (TensorLayout)layout, dims, (int)offset, (int)elements, (int)scaleOffset, at);
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
