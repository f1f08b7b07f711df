namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>Reproducible random inputs for the kernel tests.</summary>
internal static class RandomData
{
    /// <summary><paramref name="length"/> floats drawn uniformly from [low, high).</summary>
    public static float[] Uniform(Random random, int length, double low = -1, double high = 1)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(low + random.NextDouble() * (high - low));
        return values;
    }
}
