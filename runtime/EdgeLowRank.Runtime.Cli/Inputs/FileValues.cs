namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>
/// The values of an input file as it holds them: floats, or bytes kept as bytes, so that <see cref="InputFile"/> turns
/// integer pixels into floats once, dividing by the full scale as it widens them (the runtime's IntegerPixels, libelr's
/// conversion too), rather than widening them first and dividing in a second pass.
/// </summary>
/// <param name="Floats">The values of a float file; null for a byte file.</param>
/// <param name="Bytes">The values of a byte file (a slice of the file's bytes, not copied); empty for a float file.</param>
/// <param name="Shape">The dimensions the file declares; null for a raw file, which declares none.</param>
internal readonly record struct FileValues(float[]? Floats, ReadOnlyMemory<byte> Bytes, long[]? Shape)
{
    /// <summary>How many values the file holds.</summary>
    public int Length => Floats?.Length ?? Bytes.Length;
}
