namespace EdgeLowRank.FixtureGenerator;

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny generator written out here so the fixtures
/// depend on no library's random algorithm and regenerate bit for bit on any runtime.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    private ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 24 bits so every value is exact in f32.</summary>
    public float NextUnit() => (Next() >> 40) / (float)(1 << 24);

    /// <summary>Uniform in [-bound, bound).</summary>
    public float NextSymmetric(double bound) => (float)((2.0 * NextUnit() - 1.0) * bound);

    /// <summary><paramref name="count"/> values uniform in [-bound, bound).</summary>
    public float[] Symmetric(int count, double bound)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = NextSymmetric(bound);
        return values;
    }
}
