namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>
/// How far outputs are from the expected ones (run --expect): per sample, the largest |output − expected| relative to the
/// sample's largest finite |expected|. A NaN or infinity on either side that the other side does not equal (equal
/// infinities of one sign do) makes the sample's error infinite: measured against an infinite scale, every difference
/// came out 0, and garbage with one infinity per sample passed.
/// </summary>
internal static class OutputComparison
{
    /// <summary>The largest relative error of the samples, and the first sample that has it (0 and sample 0 when all match).</summary>
    /// <param name="expected">The expected outputs; only the first <paramref name="outputs"/>.Length are compared.</param>
    /// <param name="outputs">The outputs, samples of <paramref name="sampleLength"/> values one after another.</param>
    /// <param name="sampleLength">Values per sample.</param>
    public static (double Error, int Sample) Worst(ReadOnlySpan<float> expected, ReadOnlySpan<float> outputs, int sampleLength)
    {
        double worst = 0;
        int worstSample = 0;
        for (int s = 0; s < outputs.Length / sampleLength; s++)
        {
            double error = SampleError(expected.Slice(s * sampleLength, sampleLength), outputs.Slice(s * sampleLength, sampleLength));
            if (error > worst) (worst, worstSample) = (error, s);
        }
        return (worst, worstSample);
    }

    private static double SampleError(ReadOnlySpan<float> expected, ReadOnlySpan<float> outputs)
    {
        double scale = 0, error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], o = outputs[i];
            if (float.IsFinite(e)) scale = Math.Max(scale, Math.Abs(e));
            if (e == o) continue;
            if (!float.IsFinite(e) || !float.IsFinite(o)) return double.PositiveInfinity;
            error = Math.Max(error, Math.Abs((double)o - e));
        }
        return error / Math.Max(scale, float.Epsilon);
    }
}
