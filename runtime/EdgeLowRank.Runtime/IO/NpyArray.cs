using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// A whole .npy file in memory: its <see cref="NpyHeader"/> and its little-endian, C-ordered data, checked to hold exactly
/// the elements the shape declares. Converts the data to the two forms its users want: floats (samples, pixels) and whole
/// numbers (labels). Files are read whole, so an array must be under 2 GiB.
/// </summary>
internal sealed class NpyArray
{
    private readonly byte[] _bytes;

    private NpyArray(NpyHeader header, byte[] bytes, string path)
    {
        Header = header;
        _bytes = bytes;
        Path = path;
    }

    /// <summary>The element type, shape and data offset.</summary>
    public NpyHeader Header { get; }

    /// <summary>The element type.</summary>
    public NpyDataType DataType => Header.DataType;

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => Header.Shape;

    /// <summary>Number of elements.</summary>
    public long Count => Header.Count;

    /// <summary>The file the array was read from, for messages.</summary>
    public string Path { get; }

    /// <summary>The data: <see cref="Count"/> little-endian elements of <see cref="DataType"/>, in C order.</summary>
    public ReadOnlySpan<byte> Data => _bytes.AsSpan(Header.DataOffset);

    /// <summary>True for the integer element types.</summary>
    public bool IsInteger => Header.IsInteger;

    /// <summary>Reads the file at <paramref name="path"/> whole.</summary>
    /// <exception cref="NpyFormatException">It is not a .npy file of a type <see cref="NpyDataType"/> names, its data does
    /// not match its shape, or it is 2 GiB or larger.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NpyArray Read(string path)
    {
        using FileStream stream = OpenWhole(path);
        // The header first: a file whose length does not match it is refused before its data is read.
        NpyHeader header = NpyHeader.Read(stream, path);
        CheckData(header, stream.Length - header.DataOffset, path);
        return new NpyArray(header, ReadAll(stream), path);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> with its elements as <see cref="ToSingles"/> converts them. A float32 file
    /// is read straight into the float[] it returns: reading it whole and then converting held its data twice, 376 MB at
    /// the peak for MNIST's 60,000 training images, where this holds 188 MB.
    /// </summary>
    /// <exception cref="NpyFormatException">As <see cref="Read"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (NpyHeader Header, float[] Values) ReadSingles(string path)
    {
        using FileStream stream = OpenWhole(path);
        NpyHeader header = NpyHeader.Read(stream, path);
        if (header.DataType != NpyDataType.Float32)
        {
            NpyArray whole = Parse(ReadAll(stream), path);
            return (whole.Header, whole.ToSingles());
        }
        CheckData(header, stream.Length - header.DataOffset, path);
        var values = new float[header.Count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> words = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        return (header, values);
    }

    /// <summary>Parses <paramref name="bytes"/>, a whole .npy file (kept, not copied); <paramref name="path"/> is for messages.</summary>
    /// <exception cref="NpyFormatException">It is not a .npy file of a type <see cref="NpyDataType"/> names, or its data does not match its shape.</exception>
    public static NpyArray Parse(byte[] bytes, string path)
    {
        NpyHeader header = NpyHeader.Parse(bytes, path);
        CheckData(header, bytes.Length - header.DataOffset, path);
        return new NpyArray(header, bytes, path);
    }

    private static FileStream OpenWhole(string path)
    {
        var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length > Array.MaxLength)
        {
            stream.Dispose();
            throw new NpyFormatException(path, $"it is {length:N0} bytes, and arrays are read whole, so they must be under 2 GiB; split it");
        }
        return stream;
    }

    private static byte[] ReadAll(FileStream stream)
    {
        var bytes = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Checks that the <paramref name="dataLength"/> bytes after the header are the elements its shape declares.</summary>
    private static void CheckData(NpyHeader header, long dataLength, string path)
    {
        int width = header.ElementSize;
        if (dataLength % width != 0) throw new NpyFormatException(path, "the data is not a whole number of elements");
        if (header.Count != dataLength / width)
            throw new NpyFormatException(path, $"its shape ({string.Join(", ", header.Shape)}) does not match the {dataLength / width} values that follow the header "
                + (dataLength / width < header.Count ? $"({header.Count} expected: the file is cut short)" : $"({header.Count} expected: more follow than the header says)"));
    }

    /// <summary>Every element as a float32, in order: floats as they are (float64 rounded), integers by value (exact up to 2^24).</summary>
    public float[] ToSingles()
    {
        var values = new float[Count];
        ReadOnlySpan<byte> data = Data;
        // The common case, float32 pixels, is the file's bytes as they are: one copy, not a dispatch per element.
        if (DataType == NpyDataType.Float32 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(data).CopyTo(values);
            return values;
        }
        for (int i = 0; i < values.Length; i++)
            values[i] = DataType switch
            {
                NpyDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]),
                NpyDataType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]),
                _ => IntegerAt(data, i),
            };
        return values;
    }

    /// <summary>Every element of an integer array as a long, in order; uint64 values above long.MaxValue become long.MaxValue.</summary>
    /// <exception cref="InvalidOperationException">The array holds floats.</exception>
    public long[] ToInt64s()
    {
        if (!IsInteger) throw new InvalidOperationException($"{Path} holds {DataType} values, not integers.");
        var values = new long[Count];
        ReadOnlySpan<byte> data = Data;
        for (int i = 0; i < values.Length; i++) values[i] = IntegerAt(data, i);
        return values;
    }

    private long IntegerAt(ReadOnlySpan<byte> data, int i) => DataType switch
    {
        NpyDataType.UInt8 => data[i],
        NpyDataType.Int8 => (sbyte)data[i],
        NpyDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]),
        NpyDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]),
        NpyDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]),
        NpyDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]),
        NpyDataType.UInt64 => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]), long.MaxValue),
        NpyDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(data[(i * 8)..]),
        _ => throw new InvalidOperationException($"{DataType} is not an integer type."),
    };
}
