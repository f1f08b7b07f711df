namespace EdgeLowRank.Compressor.Data;

/// <summary>Turns stored integer pixel values into the float32 [0, 1] range every model is trained on.</summary>
internal static class PixelScaling
{
    /// <summary>value / <paramref name="max"/> for every value; <paramref name="max"/> is the format's full scale (255 for IDX, 16 for digits).</summary>
    public static float[] ToUnitRange(ReadOnlySpan<byte> values, int max)
    {
        var scaled = new float[values.Length];
        float inverse = 1f / max;
        for (int i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] * inverse;
        }
        return scaled;
    }
}
