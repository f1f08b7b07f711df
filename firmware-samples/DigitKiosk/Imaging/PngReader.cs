using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// A minimal PNG decoder for what a digit kiosk meets: bit depth 8, colour types grayscale (0), RGB (2),
/// grayscale + alpha (4) and RGBA (6), not interlaced. Colour becomes luma (ITU-R BT.601 weights); alpha is
/// composited over black, the MNIST background. Palette images, other bit depths and Adam7 interlacing are
/// rejected with a message saying so. Every chunk's CRC is checked; the pixels are inflated with the BCL's
/// ZLibStream, so no image library is needed.
/// </summary>
internal static class PngReader
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const int MaxSide = 4096;

    /// <summary>True when <paramref name="file"/> starts with the PNG signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> file) => file.StartsWith(Signature);

    /// <summary>Decodes a whole PNG file.</summary>
    /// <exception cref="ImageFormatException">The bytes are not a PNG image this reader supports.</exception>
    public static GrayImage Read(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file)) throw new ImageFormatException("Not a PNG image: the 8-byte PNG signature is missing.");
        Header? header = null;
        using var compressed = new MemoryStream();
        int position = Signature.Length;
        while (true)
        {
            if (file.Length - position < 12) throw new ImageFormatException($"PNG chunk at byte {position} is truncated (IEND never came).");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
            if (length > (uint)(file.Length - position - 12))
                throw new ImageFormatException($"PNG chunk at byte {position} claims {length} data bytes; only {file.Length - position - 12} remain.");
            ReadOnlySpan<byte> typeAndData = file.Slice(position + 4, 4 + (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file[(position + 8 + (int)length)..]);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.HashToUInt32(typeAndData) != storedCrc)
                throw new ImageFormatException($"PNG chunk {type} at byte {position} has a wrong CRC: the file is corrupt.");
            ReadOnlySpan<byte> data = typeAndData[4..];
            if (header is null && type != "IHDR") throw new ImageFormatException($"PNG chunk {type} at byte {position}: expected IHDR first.");
            switch (type)
            {
                case "IHDR": header = ReadHeader(data); break;
                case "IDAT": compressed.Write(data); break;
                case "IEND": return Decode(header!.Value, compressed);
            }
            position += 12 + (int)length;
        }
    }

    private readonly record struct Header(int Width, int Height, int Channels);

    private static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13) throw new ImageFormatException($"PNG IHDR holds {data.Length} bytes, expected 13.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data), height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width is 0 or > MaxSide || height is 0 or > MaxSide)
            throw new ImageFormatException($"PNG size {width}×{height} is outside 1..{MaxSide} per side.");
        if (data[8] != 8) throw new ImageFormatException($"PNG bit depth {data[8]} is not supported: save the image with 8 bits per channel.");
        int channels = data[9] switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            3 => throw new ImageFormatException("PNG palette images (colour type 3) are not supported: save as grayscale."),
            _ => throw new ImageFormatException($"PNG colour type {data[9]} is not valid."),
        };
        if (data[10] != 0 || data[11] != 0) throw new ImageFormatException("PNG compression or filter method is not 0, the only one defined.");
        if (data[12] != 0) throw new ImageFormatException("PNG Adam7 interlacing is not supported: save the image without interlacing.");
        return new Header((int)width, (int)height, channels);
    }

    private static GrayImage Decode(Header header, MemoryStream compressed)
    {
        int stride = header.Width * header.Channels;
        var raw = new byte[header.Height * (stride + 1)];
        compressed.Position = 0;
        try
        {
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            inflater.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            // Not e.Message: the samples are published with resource keys for messages ("UnsupportedCompression").
            throw new ImageFormatException(e is EndOfStreamException
                ? $"PNG pixel data ends before the {raw.Length} bytes of the image; the file is cut short or damaged."
                : $"PNG pixel data is damaged: it does not inflate (zlib) to the {raw.Length} bytes of the image.");
        }
        var pixels = new float[header.Width * header.Height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (int y = 0; y < header.Height; y++)
        {
            int rowStart = y * (stride + 1);
            raw.AsSpan(rowStart + 1, stride).CopyTo(current);
            PngFilters.Unfilter(raw[rowStart], current, previous, header.Channels, y);
            ToGray(current, header.Channels, pixels.AsSpan(y * header.Width, header.Width));
            (previous, current) = (current, previous);
        }
        return new GrayImage(header.Width, header.Height, pixels);
    }

    private static void ToGray(ReadOnlySpan<byte> row, int channels, Span<float> gray)
    {
        for (int x = 0; x < gray.Length; x++)
        {
            ReadOnlySpan<byte> p = row.Slice(x * channels, channels);
            float luma = channels >= 3 ? 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2] : p[0];
            float alpha = channels is 2 or 4 ? p[channels - 1] / 255f : 1f;
            gray[x] = luma / 255f * alpha;
        }
    }
}
