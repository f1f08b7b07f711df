using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Small seeded data sets of random images for tests that need no real data.</summary>
internal static class SyntheticData
{
    /// <summary><paramref name="count"/> random 28×28×1 images (or <paramref name="side"/>²) with random labels 0..9.</summary>
    public static Dataset Images(int count, ulong seed, int side = 28)
    {
        var random = new SeededRandom(seed);
        var shape = new SampleShape(side, side, 1);
        float[] pixels = Enumerable.Range(0, count * shape.Size).Select(_ => (random.NextUInt64() >> 40) / (float)(1 << 24)).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(_ => (byte)random.NextInt(10)).ToArray();
        return new Dataset("synthetic", shape, pixels, labels, Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
    }
}
