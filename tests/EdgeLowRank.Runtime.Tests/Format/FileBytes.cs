using System.Buffers.Binary;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>A written file's bytes with the offsets of its parts (from its own section table) and
/// helpers that change one field and, optionally, re-seal the CRC so deeper checks are reached.</summary>
internal sealed class FileBytes
{
    public FileBytes(byte[] bytes)
    {
        Bytes = bytes;
        for (int i = 0; i < 4; i++)
        {
            int entry = SectionEntry(i);
            var kind = (SectionKind)U32(entry);
            int offset = (int)U64(entry + FileLayout.Section.Offset);
            int length = (int)U64(entry + FileLayout.Section.Length);
            switch (kind)
            {
                case SectionKind.Metadata: (Meta, MetaEnd) = (offset, offset + length); break;
                case SectionKind.Tensors: Tensors = offset; break;
                case SectionKind.Layers: (Layers, LayerRecordSize) = (offset, (int)U32(entry + FileLayout.Section.RecordSize)); break;
                case SectionKind.Data: (Data, DataEnd) = (offset, offset + length); break;
            }
        }
    }

    public byte[] Bytes { get; }
    public int Meta { get; }
    public int MetaEnd { get; }
    public int Tensors { get; }
    public int Layers { get; }
    /// <summary>The layer records' size: 80 bytes, or 88 in a file with uneven padding (format 1.13).</summary>
    public int LayerRecordSize { get; }
    public int Data { get; }
    public int DataEnd { get; }

    public static int SectionEntry(int index) => FormatConstants.HeaderSize + index * FormatConstants.SectionEntrySize;

    public int Tensor(int index) => Tensors + index * FormatConstants.TensorRecordSize;

    public int Layer(int index) => Layers + index * LayerRecordSize;

    public uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(at));

    public ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(at));

    /// <summary>The byte index where <paramref name="text"/> (UTF-8) first appears.</summary>
    public int Find(string text) => Bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A copy with the u32 at <paramref name="at"/> set, the CRC re-sealed unless <paramref name="seal"/> is false.</summary>
    public byte[] With32(int at, uint value, bool seal = true) => Changed(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value), seal);

    public byte[] With64(int at, ulong value, bool seal = true) => Changed(b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), value), seal);

    public byte[] With16(int at, ushort value, bool seal = true) => Changed(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), value), seal);

    public byte[] WithByte(int at, byte value, bool seal = true) => Changed(b => b[at] = value, seal);

    public byte[] Changed(Action<byte[]> change, bool seal = true)
    {
        byte[] copy = (byte[])Bytes.Clone();
        change(copy);
        if (seal) Seal(copy);
        return copy;
    }

    /// <summary>Rewrites the CRC field to match the bytes.</summary>
    public static void Seal(byte[] file)
    {
        if (file.Length >= FileLayout.Header.Crc + sizeof(uint))
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(FileLayout.Header.Crc), FileChecksum.Compute(file));
    }
}
