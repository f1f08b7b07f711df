using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.IO;

/// <summary>
/// The framing the checkpoints of <c>elr compress</c> and <c>elr train</c> share: a magic, a version, the content, and a
/// CRC-64 of all of it at the end; written atomically (a temporary file renamed over the old one), so a run killed at any
/// moment leaves the previous checkpoint or the new one, never half of one; read back with the checks in the order that
/// names each fault for what it is, and float arrays in little-endian order whatever the machine.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>What tells one kind of checkpoint from the other: its magic, its version, and its name in messages
    /// ("an LC checkpoint"; "checkpoint version").</summary>
    public sealed record Kind(string Magic, int Version, string Name, string VersionName)
    {
        /// <summary>The magic as <see cref="BinaryWriter.Write(string)"/> writes it: a one-byte length (it is shorter than 128
        /// bytes), then its UTF-8 bytes.</summary>
        public byte[] MagicBytes { get; } = [(byte)Magic.Length, .. Encoding.UTF8.GetBytes(Magic)];
    }

    /// <summary>Writes the magic, the version, what <paramref name="content"/> writes and the CRC-64 to <paramref name="path"/>.</summary>
    public static void Write(string path, Kind kind, Action<BinaryWriter> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(kind.Magic);
            writer.Write(kind.Version);
            content(writer);
        }
        AtomicFile.Write(path, stream =>
        {
            ReadOnlySpan<byte> bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            stream.Write(bytes);
            Span<byte> crc = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.HashToUInt64(bytes));
            stream.Write(crc);
        });
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/> by <paramref name="content"/>, after the magic, version and CRC-64.</summary>
    /// <exception cref="CheckpointFormatException">Another file, another version, damaged, cut short or unreadable.</exception>
    public static T Read<T>(string path, Kind kind, Func<BinaryReader, T> content)
    {
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            int length = bytes.Length - sizeof(ulong);
            // Magic and version first: a checkpoint of an older version (which may have no CRC) is old, not damaged. The magic
            // is compared as bytes: read as a string, a damaged length prefix asked for more bytes than the file holds.
            if (!bytes.AsSpan().StartsWith(kind.MagicBytes)) throw NotACheckpoint(path, kind);
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, Math.Max(length, 0)), Encoding.UTF8);
            reader.ReadString(); // the magic, compared above
            if (reader.ReadInt32() is var version && version != kind.Version)
                throw new CheckpointFormatException($"{path} was written by {(version < kind.Version ? "an older" : "a newer")} elr ({kind.VersionName} {version}; this one reads "
                    + $"version {kind.Version}), so it cannot be resumed; delete it to start over, or choose another --checkpoint folder.");
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(length)) != Crc64.HashToUInt64(bytes.AsSpan(0, length)))
                throw new CheckpointFormatException($"{path} is damaged (its CRC-64 does not match its content); delete it to start over, or give another --checkpoint folder.");
            return content(reader);
        }
        catch (EndOfStreamException)
        {
            // Only a file that starts with the magic but ends before its version and CRC gets here (a longer one fails the
            // version or CRC check first): the framework's "Unable to read beyond the end of the stream" would not say which
            // file or what to do.
            throw new CheckpointFormatException($"{path} is too short to be {kind.Name} ({new FileInfo(path).Length} bytes): it was cut short; delete it to start over.");
        }
        catch (InvalidDataException e)
        {
            // A count the bytes left cannot hold (ReadCount), in a file whose CRC-64 matched: made so, as a crafted file is.
            throw new CheckpointFormatException($"{path} is a damaged checkpoint ({e.Message}); delete it to start over, or give another --checkpoint folder.");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new CheckpointFormatException($"The checkpoint {path} cannot be read ({e.Message}); delete it to start over.");
        }
    }

    /// <summary>A file in the checkpoint's place that does not start with the magic: another program's, or its start is damaged.</summary>
    public static CheckpointFormatException NotACheckpoint(string path, Kind kind) =>
        new($"{path} is not {kind.Name} (it does not start with one's magic: another file, or its start is damaged); delete it or choose another --checkpoint folder.");

    /// <summary>Writes the count of <paramref name="arrays"/>, then each one's length and values.</summary>
    public static void WriteArrays(BinaryWriter writer, float[][] arrays)
    {
        writer.Write(arrays.Length);
        foreach (float[] array in arrays)
        {
            writer.Write(array.Length);
            foreach (float x in array) writer.Write(x);
        }
    }

    /// <summary>Reads what <see cref="WriteArrays"/> wrote.</summary>
    /// <exception cref="InvalidDataException">A count that the bytes left cannot hold (<see cref="ReadCount"/>).</exception>
    public static float[][] ReadArrays(BinaryReader reader)
    {
        var arrays = new float[ReadCount(reader, sizeof(int), "array count")][];
        for (int a = 0; a < arrays.Length; a++)
        {
            arrays[a] = new float[ReadCount(reader, sizeof(float), $"length of array {a}")];
            for (int i = 0; i < arrays[a].Length; i++) arrays[a][i] = reader.ReadSingle();
        }
        return arrays;
    }

    /// <summary>Reads a count of items of at least <paramref name="bytesEach"/> bytes, checked against the bytes left before
    /// the CRC, so that a crafted count (its CRC made to match) is refused before anything of its size is allocated.</summary>
    /// <exception cref="InvalidDataException">The count is negative or more than the bytes left hold: caught by
    /// <see cref="Read{T}"/>, which names the file.</exception>
    public static int ReadCount(BinaryReader reader, int bytesEach, string what)
    {
        long offset = reader.BaseStream.Position;
        int count = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || count > left / bytesEach)
            throw new InvalidDataException(count < 0 ? $"its {what} at byte {offset} is {count}, a negative count"
                : $"its {what} at byte {offset} is {count:N0}, more than the {left:N0} bytes left before its CRC-64 can hold at {bytesEach} bytes each");
        return count;
    }
}
