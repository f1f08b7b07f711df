using System.Buffers.Binary;
using System.IO.Hashing;

namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// Whether an image file was written whole. The kiosk classifies the newest file in a folder that a camera script or
/// `scp` is writing into, so a press can meet a file cut short; stb_image decodes a truncated JPEG or BMP without a word
/// (the missing rows come out black or as garbage) and skips PNG's chunk CRCs, so the classifier would see a damaged
/// image. These checks read only the framing each format has for this: PNG's chunk lengths, CRCs and closing IEND,
/// JPEG's end-of-image marker, and the sizes a BMP's header gives.
/// </summary>
internal static class ImageCompleteness
{
    /// <summary>Throws unless every chunk of the PNG <paramref name="file"/> (signature checked by the caller) is whole,
    /// its CRC matches, and IEND closes the file.</summary>
    /// <exception cref="ImageFormatException">A chunk is cut short or damaged, or IEND never comes.</exception>
    public static void CheckPng(ReadOnlySpan<byte> file)
    {
        const int SignatureLength = 8;
        for (int position = SignatureLength; ;)
        {
            if (file.Length - position < 12) throw new ImageFormatException($"PNG chunk at byte {position} is truncated (IEND never came): the file is cut short, or still being written.", mayBeStillWritten: true);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
            if (length > (uint)(file.Length - position - 12))
                throw new ImageFormatException($"PNG chunk at byte {position} claims {length} data bytes; only {file.Length - position - 12} remain: the file is cut short, or still being written.", mayBeStillWritten: true);
            ReadOnlySpan<byte> typeAndData = file.Slice(position + 4, 4 + (int)length);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.HashToUInt32(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(file[(position + 8 + (int)length)..]))
                throw new ImageFormatException($"PNG chunk {type} at byte {position} has a wrong CRC: the file is corrupt.");
            if (type == "IEND") return;
            position += 12 + (int)length;
        }
    }

    /// <summary>Throws unless the JPEG <paramref name="file"/> ends with the end-of-image marker (FF D9), zero padding
    /// after it allowed: every encoder writes it last, so a file without it was cut short.</summary>
    /// <exception cref="ImageFormatException">The marker is missing.</exception>
    public static void CheckJpeg(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> content = file.TrimEnd((byte)0);
        if (content.Length < 4 || content[^2] != 0xFF || content[^1] != 0xD9)
            throw new ImageFormatException("JPEG image does not end with its end-of-image marker (FF D9): the file is cut short, or still being written.", mayBeStillWritten: true);
    }

    /// <summary>Throws unless the BMP <paramref name="file"/> holds the bytes its header promises: the file size it
    /// records and, for uncompressed pixels, every row from the pixel-data offset on.</summary>
    /// <exception cref="ImageFormatException">The file is shorter than its header says.</exception>
    public static void CheckBmp(ReadOnlySpan<byte> file)
    {
        // File header (14 bytes), then at least the 12-byte core header (OS/2); the common one is the 40-byte info header.
        if (file.Length < 26) throw new ImageFormatException($"BMP file of {file.Length} bytes ends inside its headers: the file is cut short.", mayBeStillWritten: true);
        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(file[2..]);
        if (recorded > file.Length)
            throw new ImageFormatException($"BMP header records {recorded:N0} bytes; the file has {file.Length:N0}: it is cut short, or still being written.", mayBeStillWritten: true);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(file[14..]);
        if (infoSize < 40 || file.Length < 54) return; // an OS/2 header: the recorded size above is the check
        long width = BinaryPrimitives.ReadInt32LittleEndian(file[18..]), height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(file[22..]));
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(file[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(file[30..]);
        if (compression != 0 || width <= 0) return; // run-length coded rows have no fixed size; stb refuses what is left
        long rowBytes = (bitsPerPixel * width + 31) / 32 * 4;
        long end = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]) + rowBytes * height;
        if (end > file.Length)
            throw new ImageFormatException($"BMP pixels end at byte {end:N0}; the file has {file.Length:N0}: it is cut short, or still being written.", mayBeStillWritten: true);
    }
}
