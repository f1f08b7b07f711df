using static EdgeLowRank.Runtime.Format.FormatErrors;
using S = EdgeLowRank.Runtime.Format.FileLayout.Section;

namespace EdgeLowRank.Runtime.Format;

/// <summary>One section as the table lists it, after its bounds were checked.</summary>
/// <param name="Offset">The first byte.</param>
/// <param name="Length">The number of bytes.</param>
/// <param name="Count">The number of entries or records.</param>
/// <param name="RecordSize">The size of one record (0 for variable-size entries).</param>
/// <param name="EntryOffset">Where the section's table entry is, for messages.</param>
internal readonly record struct Section(int Offset, int Length, int Count, int RecordSize, int EntryOffset)
{
    /// <summary>The byte after the section.</summary>
    public int End => Offset + Length;
}

/// <summary>The four sections v1 needs, read from the section table.</summary>
internal readonly record struct SectionTable(Section Metadata, Section Tensors, Section Layers, Section Data)
{
    /// <summary>Reads the table: every section inside the file and after the header and table, no two
    /// overlapping, each known kind once; unknown kinds are skipped unless flagged required.</summary>
    public static SectionTable Read(ReadOnlySpan<byte> file, FileHeader header)
    {
        var known = new Dictionary<SectionKind, Section>();
        var spans = new List<(int Start, int End, int Entry)>();
        int tableEnd = header.SectionTableOffset + header.SectionCount * FormatConstants.SectionEntrySize;
        spans.Add((header.SectionTableOffset, tableEnd, header.SectionTableOffset));
        for (int i = 0; i < header.SectionCount; i++)
        {
            int entry = header.SectionTableOffset + i * FormatConstants.SectionEntrySize;
            uint kind = file.U32(entry + S.Kind);
            ulong offset = file.U64(entry + S.Offset), length = file.U64(entry + S.Length);
            if (!SpanReading.Fits(offset, length, header.HeaderSize, file.Length))
                throw new ModelFormatException($"Section {i} ({SpanReading.FourCC(kind)}) claims bytes {offset} to {offset + length} (length {length}); sections lie between the header's end ({header.HeaderSize}) and the file's end ({file.Length}). {CopyAgain}", entry + S.Offset);
            var section = new Section((int)offset, (int)length, (int)Math.Min(file.U32(entry + S.Count), int.MaxValue),
                (int)Math.Min(file.U32(entry + S.RecordSize), int.MaxValue), entry);
            spans.Add((section.Offset, section.End, entry));
            if (!Enum.IsDefined((SectionKind)kind))
            {
                if ((file.U32(entry + S.Flags) & FormatConstants.SectionRequired) != 0)
                    throw new ModelFormatException($"Section {i} has kind {SpanReading.FourCC(kind)}, which this reader does not know, and is marked required. {Upgrade(header.Minor)}", entry + S.Kind);
                continue;
            }
            if (!known.TryAdd((SectionKind)kind, section))
                throw new ModelFormatException($"Section {i} is a second {SpanReading.FourCC(kind)} section; a file has one of each. {CopyAgain}", entry + S.Kind);
        }
        CheckNoOverlap(spans);
        return new SectionTable(
            Table(Require(known, SectionKind.Metadata, header), 0, FormatConstants.MaxMetadataEntries),
            Table(Require(known, SectionKind.Tensors, header), FormatConstants.TensorRecordSize, FormatConstants.MaxTensors),
            Table(Require(known, SectionKind.Layers, header), FormatConstants.LayerRecordSize, FormatConstants.MaxLayers),
            Require(known, SectionKind.Data, header));
    }

    private static Section Require(Dictionary<SectionKind, Section> known, SectionKind kind, FileHeader header) =>
        known.TryGetValue(kind, out var section) ? section
            : throw new ModelFormatException($"The section table has no {SpanReading.FourCC((uint)kind)} section; every v1 file has META, TENS, LAYR and DATA. {CopyAgain}", header.SectionTableOffset);

    /// <summary>Checks a table's count against its cap and, for fixed-size records, that the record size is
    /// at least the v1 size (later minor versions may append fields) and that count × size is the length.</summary>
    private static Section Table(Section s, int minRecordSize, int maxCount)
    {
        if (s.Count > maxCount)
            throw new ModelFormatException($"The section at byte {s.Offset} lists {s.Count} entries; this reader accepts at most {maxCount}. {CopyAgain}", s.EntryOffset + S.Count);
        if (minRecordSize == 0) return s;
        if (s.RecordSize < minRecordSize || s.RecordSize > FormatConstants.MaxRecordSize)
            throw new ModelFormatException($"The section at byte {s.Offset} declares {s.RecordSize}-byte records; expected {minRecordSize} to {FormatConstants.MaxRecordSize}. {CopyAgain}", s.EntryOffset + S.RecordSize);
        if ((long)s.Count * s.RecordSize != s.Length)
            throw new ModelFormatException($"The section at byte {s.Offset} is {s.Length} bytes long, but {s.Count} records of {s.RecordSize} bytes take {(long)s.Count * s.RecordSize}. {CopyAgain}", s.EntryOffset + S.Length);
        return s;
    }

    private static void CheckNoOverlap(List<(int Start, int End, int Entry)> spans)
    {
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        for (int i = 1; i < spans.Count; i++)
        {
            if (spans[i].Start < spans[i - 1].End)
                throw new ModelFormatException($"The section at bytes {spans[i].Start} to {spans[i].End} overlaps the one at {spans[i - 1].Start} to {spans[i - 1].End}; sections never share bytes. {CopyAgain}", spans[i].Entry + S.Offset);
        }
    }
}
