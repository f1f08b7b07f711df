namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its seed alone. System.Random's sequence
/// for a given seed is not promised to stay the same across .NET versions, and a data split must
/// (a model's reported accuracy refers to it).
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
        uint low = (uint)product;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * (uint)bound;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
