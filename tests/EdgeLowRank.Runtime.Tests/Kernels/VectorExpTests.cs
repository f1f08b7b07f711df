using System.Numerics;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class VectorExpTests
{
    private static float Ulp(float value) => MathF.BitIncrement(MathF.Abs(value)) - MathF.Abs(value);

    private static float[] Exp(float[] x)
    {
        int lanes = Vector<float>.Count;
        float[] padded = [.. x, .. new float[(lanes - x.Length % lanes) % lanes]];
        var y = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes) VectorExp.Exp(new Vector<float>(padded, i)).CopyTo(y, i);
        return y[..x.Length];
    }

    [Fact]
    public void Is_within_two_units_in_the_last_place_over_its_whole_range()
    {
        // Dense near 0 (r alone), across many n, and at both ends of the range, where 2ⁿ reaches ±126/127.
        var random = new Random(11);
        float[] x = [0f, -0f, 1f, -1f, 0.34657f, -0.34658f, VectorExp.MinInput, VectorExp.MaxInput,
            .. Enumerable.Range(0, 20_000).Select(_ => VectorExp.MinInput + (VectorExp.MaxInput - VectorExp.MinInput) * random.NextSingle()),
            .. Enumerable.Range(0, 5_000).Select(_ => 2 * random.NextSingle() - 1)];

        float[] y = Exp(x);

        Assert.Equal(1f, y[0]);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            Assert.True(MathF.Abs(y[i] - expected) <= 2 * Ulp(expected), $"exp({x[i]:R}) = {y[i]:R}; float64 gives {expected:R}");
        }
    }

    [Fact]
    public void Clamps_arguments_outside_its_range_and_keeps_NaN()
    {
        float[] y = Exp([1000f, float.PositiveInfinity, -1000f, float.NegativeInfinity, float.NaN]);

        Assert.Equal(Exp([VectorExp.MaxInput])[0], y[0]);
        Assert.Equal(y[0], y[1]);
        Assert.Equal(Exp([VectorExp.MinInput])[0], y[2]);
        Assert.Equal(y[2], y[3]);
        Assert.True(float.IsNaN(y[4]), $"exp(NaN) = {y[4]}");
    }
}
