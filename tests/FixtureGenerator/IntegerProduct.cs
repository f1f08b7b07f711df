namespace EdgeLowRank.FixtureGenerator;

/// <summary>
/// The integer product of format 1.10 (and the integer convolution of 1.11) as docs/FORMAT.md defines it, written here from the definition for the expected
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
        (int[] levels, float s, int z) = Quantize(input);
        var y = new double[outputs];
        for (int n = 0; n < outputs; n++)
        {
            long sum = 0;
            for (int k = 0; k < inputs; k++) sum += (long)(levels[k] - z) * q[k * outputs + n];
            y[n] = Scaled(sum, s, scales[n], bias, n);
        }
        return y;
    }

    /// <summary>The convolution of a channels-last image (shape h × w × c_in) by the int8 matrix (q, row-major (k·k·c_in) ×
    /// c_out, row (ky·k + kx)·c_in + ci) plus bias: the whole image quantized as one sample, and a window's taps in the padding
    /// at the zero point, which adds nothing to the sum.</summary>
    public static (double[], int[]) Convolve(double[] input, int[] shape, sbyte[] q, float[] scales, int k, int stride, int padding, int cout,
        float[] bias)
    {
        (int[] levels, float s, int z) = Quantize(input);
        int h = shape[0], width = shape[1], cin = shape[2];
        int oh = (h + 2 * padding - k) / stride + 1, ow = (width + 2 * padding - k) / stride + 1;
        var y = new double[oh * ow * cout];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int co = 0; co < cout; co++)
                {
                    long sum = 0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= width) continue;
                            for (int ci = 0; ci < cin; ci++)
                                sum += (long)(levels[(iy * width + ix) * cin + ci] - z) * q[((ky * k + kx) * cin + ci) * cout + co];
                        }
                    y[(oy * ow + ox) * cout + co] = Scaled(sum, s, scales[co], bias, co);
                }
        return (y, [oh, ow, cout]);
    }

    /// <summary>One sample's levels, scale and zero point.</summary>
    private static (int[] Levels, float Scale, int ZeroPoint) Quantize(double[] input)
    {
        float[] x = input.Select(v => (float)v).ToArray();
        float lo = Math.Min(0f, x.Min()), hi = Math.Max(0f, x.Max());
        float s = (hi - lo) / 255f;
        if (!float.IsNormal(s)) s = 0f;
        int z = s == 0f ? 0 : Math.Clamp((int)MathF.Round(-lo / s, MidpointRounding.ToEven), 0, 255);
        int[] levels = x.Select(v => s == 0f ? 0 : Math.Clamp((int)MathF.Round(v / s, MidpointRounding.ToEven) + z, 0, 255)).ToArray();
        return (levels, s, z);
    }

    /// <summary>(float)sum · (s·s_w) + b in f32.</summary>
    private static double Scaled(long sum, float s, float columnScale, float[] bias, int n) =>
        (float)sum * (s * columnScale) + (bias.Length == 0 ? 0f : bias[n]);
}
