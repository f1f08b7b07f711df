using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Checks a session's outputs against the float64 pass over the same layers (<see cref="TestModels.Reference"/>),
/// and a split run against a whole one.</summary>
internal static class ReferenceAssert
{
    /// <summary>Runs a seeded random batch of <paramref name="batch"/> samples and compares every output.</summary>
    public static void Matches(Model model, InferenceSession session, int batch, int seed) =>
        Matches(model, session, TestModels.RandomFloats(new Random(seed), batch * session.InputLength));

    /// <summary>Runs a seeded batch of 64 on one thread and on two (the batch split in two parts), which must agree bit for bit.</summary>
    public static void TwoThreadsComputeWhatOneComputes(Model model)
    {
        using var one = new InferenceSession(model);
        using var two = new InferenceSession(model, new SessionOptions { Threads = 2 });
        float[] input = TestModels.RandomFloats(new Random(8), 64 * one.InputLength);
        var single = new float[64 * one.OutputLength];
        var split = new float[single.Length];

        one.Run(input, single, 64);
        two.Run(input, split, 64);

        Assert.Equal(single, split);
    }

    /// <summary>Runs <paramref name="input"/> (whole samples) and compares every output, to 1e-5 relative.</summary>
    public static void Matches(Model model, InferenceSession session, float[] input)
    {
        int batch = input.Length / session.InputLength;
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        for (int s = 0; s < batch; s++)
        {
            double[] expected = TestModels.Reference(model, input.AsSpan(s * session.InputLength, session.InputLength));
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - output[s * session.OutputLength + i]) <= 1e-5 * (1 + Math.Abs(expected[i])),
                    $"sample {s}, output {i}: {output[s * session.OutputLength + i]} vs {expected[i]}");
        }
    }
}
