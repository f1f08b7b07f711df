using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>
/// Reads a batch of input samples from a file: NumPy .npy (f32, f64 or u8), IDX (u8 or f32, as in
/// MNIST) or raw little-endian f32. 8-bit pixels are scaled to [0, 1], as the compressor trains on.
/// </summary>
internal static class InputFile
{
    /// <summary>Reads all samples; the element count must be a multiple of <paramref name="sampleLength"/>.</summary>
    public static float[] Read(string path, int sampleLength)
    {
        byte[] bytes = File.ReadAllBytes(path);
        float[] values =
            path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Parse(bytes, path)
            : IdxFile.LooksLikeIdx(bytes) ? IdxFile.Parse(bytes, path)
            : RawFloats(bytes, path);
        if (values.Length == 0 || values.Length % sampleLength != 0)
            throw new CliException(
                $"{path} holds {values.Length} values, which is not a whole number of samples of {sampleLength} values (the model's input). " +
                "Check that the file was made for this model.", ExitCodes.BadInput);
        return values;
    }

    private static float[] RawFloats(byte[] bytes, string path)
    {
        if (bytes.Length % sizeof(float) != 0)
            throw new CliException($"{path} is {bytes.Length} bytes, not a whole number of f32 values; raw input must be little-endian f32 (or use .npy / IDX).", ExitCodes.BadInput);
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }
}
