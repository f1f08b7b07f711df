using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>elr-run's view of a .npy file (parsed by the runtime's <see cref="NpyArray"/>): samples of float32, float64 or
/// uint8 pixels, with a broken file reported at exit code <see cref="ExitCodes.BadInput"/>.</summary>
internal static class NpyFile
{
    /// <summary>The values (uint8 kept as bytes, 0–255: <see cref="InputFile"/> scales them) and the shape the header declares.</summary>
    public static FileValues Parse(byte[] bytes, string path)
    {
        NpyArray array;
        try
        {
            array = NpyArray.Parse(bytes, path);
        }
        catch (NpyFormatException e)
        {
            // The parser lists what it reads; elr-run reads fewer types, and says which.
            throw e.UnsupportedType is string type ? Unsupported(path, type) : new CliException(e.Message, ExitCodes.BadInput);
        }
        return array.DataType switch
        {
            NpyDataType.Float32 or NpyDataType.Float64 => new(array.ToSingles(), default, [.. array.Shape]),
            NpyDataType.UInt8 => new(null, bytes.AsMemory(array.Header.DataOffset), [.. array.Shape]),
            // An integer array of samples is more likely labels or indices than pixels: refused rather than guessed at.
            _ => throw Unsupported(path, NpyHeader.Descr(array.DataType)),
        };
    }

    private static CliException Unsupported(string path, string type) =>
        new($"{path} is not a usable .npy file: dtype {type} is not supported; use float32 ('<f4'), float64 or uint8.", ExitCodes.BadInput);

}
