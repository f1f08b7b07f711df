namespace EdgeLowRank.FixtureGenerator;

/// <summary>
/// The integer product of format 1.10 as docs/FORMAT.md defines it, written here from the definition for the expected
/// outputs: each sample's inputs quantized to uint8 (lo = min(0, min x), hi = max(0, max x), s = (hi − lo)/255,
/// z = round(−lo/s), q = clamp(round(x/s) + z, 0, 255), ties to even; s = 0 when it is 0 or subnormal), the sum
/// Σ (q − z)·w exact, then y = (float)sum · (s·s_w) + b in f32, the operations the file's numbers are defined by. Its inputs
/// arrive as float64 from the reference pass and are rounded to f32 first, as the runtime holds them.
/// </summary>
internal static class IntegerProduct
{
    /// <summary>x (inputs) times the int8 matrix (q, row-major inputs × outputs, scales per column) plus bias (empty: 0).</summary>
    public static double[] Multiply(double[] input, sbyte[] q, float[] scales, int inputs, int outputs, float[] bias)
    {
        float[] x = input.Select(v => (float)v).ToArray();
        float lo = Math.Min(0f, x.Min()), hi = Math.Max(0f, x.Max());
        float s = (hi - lo) / 255f;
        if (!float.IsNormal(s)) s = 0f;
        int z = s == 0f ? 0 : Math.Clamp((int)MathF.Round(-lo / s, MidpointRounding.ToEven), 0, 255);
        int[] levels = x.Select(v => s == 0f ? 0 : Math.Clamp((int)MathF.Round(v / s, MidpointRounding.ToEven) + z, 0, 255)).ToArray();
        var y = new double[outputs];
        for (int n = 0; n < outputs; n++)
        {
            long sum = 0;
            for (int k = 0; k < inputs; k++) sum += (long)(levels[k] - z) * q[k * outputs + n];
            y[n] = (float)sum * (s * scales[n]) + (bias.Length == 0 ? 0f : bias[n]);
        }
        return y;
    }
}
