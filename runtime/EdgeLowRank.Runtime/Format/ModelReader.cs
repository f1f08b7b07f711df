using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// Loads .elr files (docs/FORMAT.md). A file is untrusted input: every field is checked before it is
/// used, and any malformed file raises <see cref="ModelFormatException"/> naming the byte offset of the
/// problem. The returned <see cref="Model"/> owns the memory its weights live in; dispose it when done.
/// Panel-16 weights are used where they lie in that memory; row-major ones (format 1.2) are packed once
/// at load into aligned memory the model also owns (<see cref="Model.PackedAtLoadBytes"/>).
/// </summary>
public static class ModelReader
{
    /// <summary>Maps the file read-only and uses its panel-16 weights in place: loading costs no copy of them,
    /// and pages are read on first use (row-major weights are read once, to pack them). The file must not be changed while the model is in use.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid .elr file this reader can read.</exception>
    /// <exception cref="IO.FilePathException"><paramref name="path"/> names a folder (an <see cref="IOException"/> whose
    /// message says so, where opening the folder would fail with "Access to the path is denied").</exception>
    /// <exception cref="IOException">The file cannot be opened (for example <see cref="FileNotFoundException"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static Model Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IO.FilePaths.RefuseFolder(path, path);
        // A pipe or a device reports length 0 like an empty file; opening one could block for ever, so neither is opened.
        if (new FileInfo(IO.FilePaths.Resolve(path) ?? path) is { Exists: true, Length: 0 })
            throw new ModelFormatException($"{path} is empty, or is not a regular file (a pipe or a device); an .elr file starts with an 8-byte magic and a 64-byte header. {FormatErrors.CopyAgain}", 0);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        NativeModelMemory memory;
        try
        {
            long length = stream.Length;
            if (length is 0 or > FormatConstants.MaxFileLength)
                throw new ModelFormatException(length == 0
                    ? $"{path} is empty; an .elr file starts with an 8-byte magic and a 64-byte header. {FormatErrors.CopyAgain}"
                    : $"{path} is {length} bytes; this reader maps files of at most {FormatConstants.MaxFileLength} bytes. {FormatErrors.CopyAgain}",
                    Math.Min(length, FormatConstants.MaxFileLength));
            memory = MappedModelMemory.Map(stream, (int)length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return ParseOwning(memory, path);
    }

    /// <summary>Reads <paramref name="stream"/> from its position to its end, once, into 64-byte-aligned
    /// native memory, then parses it as <see cref="Load(string)"/> does.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid .elr file, or exceed the largest file this reader accepts.</exception>
    public static Model Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ParseOwning(StreamCopy.ReadToEnd(stream), "The stream");
    }

    /// <summary>Copies <paramref name="bytes"/> once into 64-byte-aligned native memory and parses them
    /// as <see cref="Load(string)"/> does.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid .elr file.</exception>
    public static Model Load(ReadOnlySpan<byte> bytes) => ParseOwning(AlignedModelMemory.CopyOf(bytes), "The bytes");

    /// <summary>Parses <paramref name="memory"/>, which the parser owns from here on (it releases it on failure).</summary>
    private static Model ParseOwning(NativeModelMemory memory, string source)
    {
        try
        {
            return ModelParser.Parse(memory);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{source}: {e.Message}", e.Offset, e);
        }
    }
}
