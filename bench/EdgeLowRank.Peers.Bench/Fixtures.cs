using EdgeLowRank.Bench;

namespace EdgeLowRank.Peers.Bench;

/// <summary>The golden models and inputs the peer comparison runs on.</summary>
internal static class Fixtures
{
    public static string Model(string name) => Path.Combine(FixtureDirectory.Find(), name + ".elr");

    /// <summary>Random inputs in [0, 1), like normalized pixels, fixed by the seed.</summary>
    public static float[] RandomInput(int length, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle();
        return values;
    }
}
