using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// PyTorch's default initialization of Linear and Conv2d: weights Kaiming-uniform with a = √5, which
/// works out to U(−1/√fan_in, 1/√fan_in), and biases from the same interval. Drawn from
/// <see cref="SeededRandom"/> so a seed gives the same network on every machine and .NET version.
/// </summary>
internal static class KaimingUniform
{
    /// <summary>Fills <paramref name="parameter"/> with U(−1/√fanIn, 1/√fanIn).</summary>
    public static void Fill(Parameter parameter, int fanIn, SeededRandom random)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        float[] values = parameter.Value;
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)((2.0 * UnitInterval(random) - 1.0) * bound);
    }

    /// <summary>A uniform double in [0, 1) from the top 53 random bits.</summary>
    private static double UnitInterval(SeededRandom random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
