using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Runtime.Format.FormatErrors;
using H = EdgeLowRank.Runtime.Format.FileLayout.Header;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The validated header of a file: what the rest of the parse needs from it.</summary>
/// <param name="Minor">The file's minor version (it may be newer than this reader's).</param>
/// <param name="HeaderSize">The header's size; sections start at or after it.</param>
/// <param name="SectionTableOffset">Where the section table starts.</param>
/// <param name="SectionCount">How many sections it lists.</param>
/// <param name="InputShape">The shape of one input sample.</param>
/// <param name="RequiredFlags">The required features the file declares (only bits of <see cref="RequiredFeature.Known"/>).</param>
internal readonly record struct FileHeader(int Minor, int HeaderSize, int SectionTableOffset, int SectionCount, TensorShape InputShape, uint RequiredFlags)
{
    /// <summary>Checks, in this order, the magic, the version, the header size, the file length, the
    /// CRC, the required features, the section table's place and the input shape.</summary>
    public static FileHeader Read(ReadOnlySpan<byte> file)
    {
        CheckMagic(file);
        if (file.Length < H.HeaderSize + sizeof(uint)) throw Truncated(file.Length, "its version and header size");
        int major = file.U16(H.Major), minor = file.U16(H.Minor);
        if (major != FormatConstants.MajorVersion)
            throw new ModelFormatException(major > FormatConstants.MajorVersion
                ? $"The file is .elr format {major}.{minor}; this reader reads format {FormatConstants.MajorVersion}.x only. HINT: upgrade EdgeLowRank to a release that reads format {major}, or write the model again with this release."
                : $"The file declares format version {major}.{minor}; there is no such version (the first is {FormatConstants.MajorVersion}.0). {CopyAgain}", H.Major);
        uint headerSize = file.U32(H.HeaderSize);
        if (headerSize < FormatConstants.HeaderSize || headerSize > FormatConstants.MaxRecordSize)
            throw new ModelFormatException($"The header declares its size as {headerSize} bytes; format 1.x headers are {FormatConstants.HeaderSize} to {FormatConstants.MaxRecordSize} bytes. {CopyAgain}", H.HeaderSize);
        if (file.Length < headerSize) throw Truncated(file.Length, $"its {headerSize}-byte header");
        CheckLength(file);
        CheckCrc(file);
        uint required = file.U32(H.RequiredFlags);
        if ((required & ~RequiredFeature.Known) != 0)
            throw new ModelFormatException($"The file requires features 0x{required:X8}, of which this reader does not know 0x{required & ~RequiredFeature.Known:X8} (format {FormatConstants.MajorVersion}.{FormatConstants.MinorVersion} defines {RequiredFeature.KnownDescription}; the file is {major}.{minor}). HINT: upgrade EdgeLowRank to read it.", H.RequiredFlags);
        (int tableOffset, int sectionCount) = ReadSectionTablePlace(file, (int)headerSize);
        return new FileHeader(minor, (int)headerSize, tableOffset, sectionCount, ReadInputShape(file), required);
    }

    /// <summary>
    /// Whether the bytes start as an ONNX ModelProto does: protobuf writes fields in number order, so field 1 (ir_version, a
    /// varint under 128: tag 08, one byte) comes first, then the tag of one of fields 2–8 (producer name, …, graph, opset
    /// imports). torch.onnx.export's files start 08 07 12, onnx.helper's 08 0A 3A. Other protobuf models start so too
    /// (TensorFlow's saved_model.pb 08 01 12, Core ML's .mlmodel), so the hint says "looks like", not "is".
    /// </summary>
    private static bool LooksLikeOnnx(ReadOnlySpan<byte> file) =>
        file.Length > 2 && file[0] == 0x08 && file[1] < 0x80 && file[2] is 0x12 or 0x1A or 0x22 or 0x28 or 0x32 or 0x3A or 0x42;

    private static void CheckMagic(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> magic = FormatConstants.Magic;
        for (int i = 0; i < magic.Length; i++)
        {
            if (i >= file.Length) throw Truncated(file.Length, "the 8-byte magic");
            if (file[i] == magic[i]) continue;
            string found = Convert.ToHexString(file[..Math.Min(magic.Length, file.Length)]);
            // The ONNX test first: an ONNX file's fifth byte may be 0A, as a text-mode copy makes an .elr file's.
            string hint = LooksLikeOnnx(file)
                ? "HINT: this looks like a protobuf model, as an ONNX file is, not an .elr one; if it is ONNX, convert it on a PC with `elr import-onnx MODEL.onnx -o MODEL.elr` and pass that file."
                : file[0] == 0x09 && file.Length > 3 && file[1] == 'E'
                    ? "HINT: the first byte lost its high bit: the file went through a 7-bit transfer; copy it in binary mode."
                    : file.Length > 5 && file[4] == 0x0A
                        ? "HINT: CR LF became LF: the file went through a text-mode transfer; copy it in binary mode."
                        : "HINT: this is not an .elr model file; pass an .elr file written by `elr train` or `elr compress`.";
            throw new ModelFormatException($"Bad magic: the file starts with {found}, but an .elr file starts with {Convert.ToHexString(magic)} (differs at byte {i}). {hint}", i);
        }
    }

    private static void CheckLength(ReadOnlySpan<byte> file)
    {
        ulong declared = file.U64(H.FileLength);
        // No writer makes a file this large, and the file at hand is far smaller (it was read into a span): the length field
        // is damaged, which the message says first, not the reader's size limit, which sent a trial user looking for one.
        if (declared > FormatConstants.MaxFileLength)
            throw new ModelFormatException($"The header's length field is damaged: it declares {declared:N0} bytes, where the file has {file.Length:N0} "
                + $"and no .elr file can be over {FormatConstants.MaxFileLength:N0}. {CopyAgain}", H.FileLength);
        if ((ulong)file.Length < declared)
            throw new ModelFormatException($"The file ends at byte {file.Length}, but its header declares {declared} bytes: it is truncated (an interrupted copy or download?). {CopyAgain}", file.Length);
        if ((ulong)file.Length > declared)
            throw new ModelFormatException($"The file has {file.Length - (long)declared} bytes after its declared end at byte {declared}: something was appended, or the length field is wrong. {CopyAgain}", (long)declared);
    }

    private static void CheckCrc(ReadOnlySpan<byte> file)
    {
        uint stored = file.U32(H.Crc), actual = FileChecksum.Compute(file);
        if (stored != actual)
            throw new ModelFormatException($"CRC-32 mismatch: the header holds 0x{stored:X8} but the file's bytes give 0x{actual:X8}; the file was changed or damaged after it was written. {CopyAgain}", H.Crc);
    }

    private static (int Offset, int Count) ReadSectionTablePlace(ReadOnlySpan<byte> file, int headerSize)
    {
        uint count = file.U32(H.SectionCount);
        if (count is 0 or > FormatConstants.MaxSections)
            throw new ModelFormatException($"The header lists {count} sections; a file has 1 to {FormatConstants.MaxSections} (v1 writes 4). {CopyAgain}", H.SectionCount);
        ulong offset = file.U64(H.SectionTableOffset);
        if (!SpanReading.Fits(offset, count * (ulong)FormatConstants.SectionEntrySize, headerSize, file.Length))
            throw new ModelFormatException($"The section table of {count} × {FormatConstants.SectionEntrySize} bytes at byte {offset} does not lie between the header's end ({headerSize}) and the file's end ({file.Length}). {CopyAgain}", H.SectionTableOffset);
        return ((int)offset, (int)count);
    }

    private static TensorShape ReadInputShape(ReadOnlySpan<byte> file)
    {
        int[] dims = ShapeFields.Read(file, H.InputRank, H.InputDims, "The input shape");
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            count *= dims[i]; // each factor is below 2^31 and the product stops once past it: no overflow
            if (count > int.MaxValue)
                throw new ModelFormatException($"The input shape holds more than 2^31-1 elements. {CopyAgain}", H.InputDims + i * sizeof(uint));
        }
        return new TensorShape(dims);
    }
}
