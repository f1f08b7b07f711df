using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Runs models through the runtime and compares outputs.</summary>
internal static class Compare
{
    /// <summary>The runtime's outputs for <paramref name="batch"/> samples.</summary>
    public static float[] RunRuntime(Model model, float[] input, int batch)
    {
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }

    /// <summary>Every element within <paramref name="tolerance"/> of the largest |expected| (two engines, two summation orders).</summary>
    public static void Close(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.DoesNotContain(expected, float.IsNaN);   // NaN against NaN would pass the comparison below
        Assert.DoesNotContain(actual, float.IsNaN);
        double scale = Math.Max(expected.Max(v => Math.Abs(v)), float.Epsilon);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"element {i}: expected {expected[i]}, got {actual[i]} (scale {scale})");
    }

    /// <summary>Deterministic values in [-1, 1).</summary>
    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
