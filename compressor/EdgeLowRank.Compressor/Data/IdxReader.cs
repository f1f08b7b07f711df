using System.Buffers.Binary;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Reads IDX files (the MNIST format), raw or gzip-compressed. Layout: two zero bytes, an element
/// type byte, a dimension count byte, then one big-endian 32-bit size per dimension, then the
/// values. Only unsigned bytes (type 0x08) are accepted: every image and label file in use is that.
/// The file is untrusted input: the header is checked, and the data size it claims is compared
/// with what the file holds before a buffer of that size is allocated.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    /// <summary>Reads and validates the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a valid unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        using Stream stream = DataFile.Open(path, out bool compressed);
        long? fileLength = compressed ? null : stream.Length;
        return Read(stream, path, compressed, fileLength);
    }

    private static IdxArray Read(Stream stream, string path, bool compressed, long? fileLength)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw Error(path, 0, compressed, $"file is {got} bytes long; an IDX file starts with a 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw Error(path, 0, compressed,
                $"bad magic 0x{magic[0]:x2}{magic[1]:x2}{magic[2]:x2}{magic[3]:x2}: an IDX file starts with 0x0000 " +
                "followed by a type byte and a dimension count; this is not an IDX file");
        }
        if (magic[2] != UnsignedByteType)
        {
            throw Error(path, 2, compressed,
                $"element type 0x{magic[2]:x2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported");
        }
        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions)
        {
            throw Error(path, 3, compressed, $"{rank} dimensions; expected 1 to {MaxDimensions}");
        }

        int[] dims = ReadDimensions(stream, path, compressed, rank);
        long headerLength = 4 + 4L * rank;
        long dataLength = 1;
        foreach (int d in dims)
        {
            dataLength *= d; // at most (2^31)^4 < 2^124 would overflow, so check each step
            if (dataLength > Array.MaxLength)
            {
                throw Error(path, 4, compressed,
                    $"dimensions {string.Join('×', dims)} describe more than {Array.MaxLength} bytes of data");
            }
        }

        if (fileLength is long length && length != headerLength + dataLength)
        {
            throw Error(path, Math.Min(length, headerLength + dataLength), compressed,
                length < headerLength + dataLength
                    ? $"file ends after {length} bytes; the header ({string.Join('×', dims)}) needs {headerLength} + {dataLength} = {headerLength + dataLength} (truncated file?)"
                    : $"file has {length - headerLength - dataLength} bytes beyond the {dataLength} data bytes its header ({string.Join('×', dims)}) describes");
        }

        byte[] data = ReadData(stream, path, compressed, headerLength, (int)dataLength, dims);
        return new IdxArray(dims, data);
    }

    private static int[] ReadDimensions(Stream stream, string path, bool compressed, int rank)
    {
        Span<byte> buffer = stackalloc byte[4 * MaxDimensions];
        Span<byte> header = buffer[..(4 * rank)];
        int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
        {
            throw Error(path, 4 + got, compressed, $"file ends inside the header; {rank} dimension sizes need {header.Length} bytes from offset 4");
        }

        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(header.Slice(4 * i, 4));
            if (size <= 0)
            {
                throw Error(path, 4 + 4 * i, compressed, $"dimension {i} has size {size}; expected a positive size");
            }
            dims[i] = size;
        }
        return dims;
    }

    private static byte[] ReadData(Stream stream, string path, bool compressed, long headerLength, int dataLength, int[] dims)
    {
        // A raw file's length was checked above, so the buffer can be allocated at once. A gzip
        // stream's length is unknown: grow the buffer with what actually arrives, so a header that
        // claims gigabytes cannot make us allocate them.
        byte[] data = compressed ? ReadGrowing(stream, dataLength, out int got) : ReadFixed(stream, dataLength, out got);
        if (got < dataLength)
        {
            throw Error(path, headerLength + got, compressed,
                $"data ends after {got} of {dataLength} bytes that the header ({string.Join('×', dims)}) describes (truncated file?)");
        }
        if (compressed && stream.ReadByte() >= 0)
        {
            throw Error(path, headerLength + dataLength, compressed,
                $"more data follows the {dataLength} bytes that the header ({string.Join('×', dims)}) describes");
        }
        return data;
    }

    private static byte[] ReadFixed(Stream stream, int length, out int got)
    {
        var data = new byte[length];
        got = stream.ReadAtLeast(data, length, throwOnEndOfStream: false);
        return data;
    }

    private static byte[] ReadGrowing(Stream stream, int length, out int got)
    {
        var data = new byte[Math.Min(length, 1 << 20)];
        got = 0;
        while (got < length)
        {
            if (got == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
            }
            int n = stream.Read(data, got, data.Length - got);
            if (n == 0)
            {
                break;
            }
            got += n;
        }
        return data;
    }

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };

    private static DataFormatException Error(string path, long offset, bool compressed, string problem) =>
        new(path, DataFile.Offset(offset, compressed), problem);
}
