using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The per-sample uint8 quantization of an integer product's inputs: the vector pass gives the scalar reference's
/// bits, the levels stand for the inputs within half a step, zero is exact, and the special rows follow the definition.</summary>
public class DynamicQuantizationTests
{
    public static TheoryData<int> Lengths => new(1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 784);

    [Theory, MemberData(nameof(Lengths))]
    public void TheVectorPassGivesTheReferencesBits(int length)
    {
        var random = new Random(length);
        foreach ((double low, double high) in ((double, double)[])[(-1, 1), (0, 3), (-5, -0.5), (-0.001, 40)])
        {
            float[] x = RandomData.Uniform(random, length, low, high);
            (ushort[] reference, float s, int z) = Reference(x);
            var fast = new ushort[Padded(length)];
            Array.Fill(fast, (ushort)999); // every value written, the padding too
            (float scale, int zeroPoint) = DynamicQuantization.Run(x, fast);
            Assert.Equal((s, z), (scale, zeroPoint));
            Assert.Equal(reference, fast);
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void EveryLevelStandsForItsInputWithinHalfAStep(int length)
    {
        float[] x = RandomData.Uniform(new Random(length + 7), length, -2, 3);
        (ushort[] q, float s, int z) = Reference(x);
        for (int k = 0; k < length; k++)
        {
            Assert.InRange(q[k], 0, 255);
            Assert.True(Math.Abs((q[k] - z) * (double)s - x[k]) <= s * 0.5001, $"x[{k}] = {x[k]} became level {q[k]} (zero point {z}, scale {s})");
        }
        Assert.All(q[length..], value => Assert.Equal(0, value));
    }

    [Fact]
    public void ZeroIsExactAndTheRangeAlwaysHoldsZero()
    {
        float[] x = [0f, 1f, 2f, 3f, 0f];
        (ushort[] q, float s, int z) = Reference(x);
        Assert.Equal((3f / 255f, 0), (s, z)); // all positive: lo = 0, zero point 0
        Assert.Equal(0, q[0]);
        Assert.Equal(255, q[3]);
        (q, s, z) = Reference([-4f, -1f, 0f]);
        Assert.Equal((4f / 255f, 255), (s, z)); // all negative: hi = 0, zero point 255
        Assert.Equal([0, 191, 255], q[..3]);
        (q, s, z) = Reference([-1f, 0f, 1f]);
        Assert.Equal(q[1], z);
    }

    [Fact]
    public void ARowOfZerosOrOfValuesSoSmallThatTheScaleIsSubnormalHasScaleZero()
    {
        foreach (float[] x in (float[][])[[0f, 0f, -0f], [1e-44f, -1e-44f, 0f], [1e-36f, 0f]]) // the last: s subnormal
        {
            (ushort[] q, float s, int z) = Reference(x);
            Assert.Equal((0f, 0), (s, z));
            Assert.All(q, value => Assert.Equal(0, value));
            Assert.Equal((0f, 0), DynamicQuantization.Run(x, new ushort[Padded(x.Length)]));
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ARowHoldingNaNOrInfinityHasScaleNaN(float special)
    {
        foreach (int at in (int[])[0, 9, 16])
        {
            float[] x = RandomData.Uniform(new Random(at), 17);
            x[at] = special;
            (ushort[] q, float s, int z) = Reference(x);
            Assert.True(float.IsNaN(s));
            Assert.Equal(0, z);
            Assert.All(q, value => Assert.Equal(0, value));
            var fast = new ushort[Padded(x.Length)];
            (float scale, int zeroPoint) = DynamicQuantization.Run(x, fast);
            Assert.True(float.IsNaN(scale));
            Assert.Equal(0, zeroPoint);
            Assert.Equal(q, fast);
        }
    }

    [Fact]
    public void HalfLevelsRoundToEven()
    {
        // s = 255/255 = 1 exactly: x = 0.5, 1.5, 2.5 lie halfway between levels.
        (ushort[] q, float s, int z) = Reference([0.5f, 1.5f, 2.5f, 255f]);
        Assert.Equal((1f, 0), (s, z));
        Assert.Equal([0, 2, 2, 255], q[..4]);
    }

    [Fact]
    public void TheVectorPassRoundsHalfLevelsToEvenAsTheReferenceDoes()
    {
        // s = 1: every x but the first and the last lies halfway between two levels, on both sides of zero (z = 100).
        float[] x = [-100f, .. Enumerable.Range(-100, 255).Select(k => k + 0.5f), 155f];
        (ushort[] reference, float s, int z) = Reference(x);
        Assert.Equal((1f, 100), (s, z));
        var fast = new ushort[Padded(x.Length)];
        Assert.Equal((s, z), DynamicQuantization.Run(x, fast));
        Assert.Equal(reference, fast);
    }

    private static int Padded(int length) => (length + 3) / 4 * 4;

    private static (ushort[] Levels, float Scale, int ZeroPoint) Reference(float[] x)
    {
        var q = new ushort[Padded(x.Length)];
        Array.Fill(q, (ushort)999);
        (float scale, int zeroPoint) = DynamicQuantization.Reference(x, q);
        return (q, scale, zeroPoint);
    }
}
