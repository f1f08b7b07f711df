using H = EdgeLowRank.Runtime.Format.FileLayout.Header;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// The format version and required features a model file's header declares: what a reader must know to open it
/// (docs/FORMAT.md, "Header" and "Versions"), so that a deployment can check a new file against the reader on its boards
/// before it copies the file there. It reads the header only: <see cref="ModelReader.Load(string)"/> checks the whole file.
/// </summary>
/// <param name="Major">The major version: a reader reads one major version only.</param>
/// <param name="Minor">The minor version the writer put (a reader reads any minor version of its major, unless the file uses
/// a layer kind or a required feature newer than the reader).</param>
/// <param name="RequiredFlags">The header's required-features bits as they are.</param>
internal sealed record ModelFileVersion(int Major, int Minor, uint RequiredFlags)
{
    /// <summary>The format version of this reader (and writer): the newest it knows, with every feature up to it.</summary>
    public static string ReaderVersion => $"{FormatConstants.MajorVersion}.{FormatConstants.MinorVersion}";

    /// <summary>"1.11".</summary>
    public string Version => $"{Major}.{Minor}";

    /// <summary>The required features the file sets, by name, lowest bit first; bits this reader does not know are in
    /// <see cref="UnknownFlags"/> instead.</summary>
    public IReadOnlyList<RequiredFeature> Features => [.. RequiredFeature.All.Where(f => (RequiredFlags & f.Flag) != 0)];

    /// <summary>The required-feature bits this reader does not know (0 in any file <see cref="ModelReader"/> loads).</summary>
    public uint UnknownFlags => RequiredFlags & ~RequiredFeature.Known;

    /// <summary>Reads the version and required features from the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file does not start with an .elr header.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelFileVersion Read(string path)
    {
        Span<byte> header = stackalloc byte[H.RequiredFlags + sizeof(uint)];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !header[..FormatConstants.Magic.Length].SequenceEqual(FormatConstants.Magic))
            throw new ModelFormatException($"{path}: not an .elr file (it does not start with the .elr magic and a header of at least {header.Length} bytes).", 0);
        ReadOnlySpan<byte> fields = header;
        return new ModelFileVersion(fields.U16(H.Major), fields.U16(H.Minor), fields.U32(H.RequiredFlags));
    }
}
