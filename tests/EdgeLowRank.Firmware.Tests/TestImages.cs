using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace EdgeLowRank.Firmware.Tests;

/// <summary>Builds image files in memory, so each test states the exact bytes it feeds the readers.</summary>
internal static class TestImages
{
    /// <summary>A gradient: pixel (x, y) = (x + 3y) mod 256.</summary>
    public static byte[] Gradient(int width, int height, int channels = 1)
    {
        var pixels = new byte[width * height * channels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i / channels % width + 3 * (i / channels / width)) % 256);
        return pixels;
    }

    public static byte[] Pgm(int width, int height, byte[] pixels, string header = "") =>
        [.. Encoding.ASCII.GetBytes($"P5\n{header}{width} {height}\n255\n"), .. pixels];

    /// <summary>A PNG with the given colour type (3: <paramref name="pixels"/> are indices into <paramref name="palette"/>,
    /// RGB triples); every row uses <paramref name="filterOf"/>(row) with the matching forward filter, so decoding must
    /// undo it. <paramref name="interlace"/> 1 stores the pixels in Adam7's seven passes (unfiltered).</summary>
    public static byte[] Png(int width, int height, byte[] pixels, byte colorType = 0, Func<int, byte>? filterOf = null, byte interlace = 0,
        byte[]? palette = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        var raw = new MemoryStream();
        if (interlace == 1) WriteAdam7Passes(raw, width, height, pixels, channels);
        else WriteFilteredRows(raw, width, height, pixels, channels, filterOf);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zlib);

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;
        header[9] = colorType;
        header[12] = interlace;
        var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(file, "IHDR", header);
        if (palette is not null) Chunk(file, "PLTE", palette);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteFilteredRows(Stream raw, int width, int height, byte[] pixels, int channels, Func<int, byte>? filterOf)
    {
        int stride = width * channels;
        for (int y = 0; y < height; y++)
        {
            byte filter = filterOf?.Invoke(y) ?? 0;
            raw.WriteByte(filter);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
                int predictor = filter switch { 1 => a, 2 => b, 3 => (a + b) / 2, 4 => Paeth(a, b, c), _ => 0 };
                raw.WriteByte((byte)(pixels[y * stride + i] - predictor));
            }
        }
    }

    /// <summary>Adam7: seven passes over the image, each a grid (start x, start y, step x, step y) of its own rows.</summary>
    private static void WriteAdam7Passes(Stream raw, int width, int height, byte[] pixels, int channels)
    {
        (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        foreach (var (x0, y0, dx, dy) in passes)
        {
            if (x0 >= width || y0 >= height) continue; // an empty pass has no rows, not even their filter bytes
            for (int y = y0; y < height; y += dy)
            {
                raw.WriteByte(0);
                for (int x = x0; x < width; x += dx) raw.Write(pixels, (y * width + x) * channels, channels);
            }
        }
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        file.Write(number);
        file.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.HashToUInt32(typeAndData));
        file.Write(number);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
