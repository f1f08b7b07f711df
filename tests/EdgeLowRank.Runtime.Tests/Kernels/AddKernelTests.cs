using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class AddKernelTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddsEveryElementOverLengthsZeroTo67(bool relu)
    {
        var random = new Random(relu ? 3 : 2);
        for (int length = 0; length <= 67; length++)
        {
            float[] x = RandomData.Uniform(random, length), a = RandomData.Uniform(random, length);
            float[] expected = x.Zip(a, (left, right) => relu ? Math.Max(left + right, 0f) : left + right).ToArray();
            var separate = new float[length];

            AddKernel.Run(x, a, separate, relu);
            AddKernel.Run(x, a, x, relu); // in place, as the plan runs it

            Assert.Equal(expected, separate);
            Assert.Equal(expected, x);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesTheScalarReferenceBitForBitWithSpecialValues(bool relu)
    {
        var random = new Random(9);
        float[] specials = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.Epsilon];
        for (int length = 1; length <= 67; length++)
        {
            float[] x = RandomData.Uniform(random, length, -1e3, 1e3), a = RandomData.Uniform(random, length, -1e3, 1e3);
            x[random.Next(length)] = specials[random.Next(specials.Length)];
            a[random.Next(length)] = specials[random.Next(specials.Length)];
            var simd = new float[length];
            var reference = new float[length];

            AddKernel.Run(x, a, simd, relu);
            AddKernel.Reference(x, a, reference, relu);

            Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), simd.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void KeepsNaNAndMakesNegativeZeroPositiveUnderReluInEveryLane()
    {
        int length = 2 * System.Numerics.Vector<float>.Count + 1; // vector lanes and the scalar tail
        float[] x = Enumerable.Repeat(-0f, length).ToArray(), a = Enumerable.Repeat(-0f, length).ToArray();
        x[0] = float.NaN;
        x[^1] = float.NaN;
        var y = new float[length];

        AddKernel.Run(x, a, y, relu: true);

        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[^1]));
        Assert.All(y[1..^1], v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v))); // +0: −0 + −0 = −0, max(−0, 0) = +0
    }

    [Fact]
    public void RefusesSpansOfDifferentLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => AddKernel.Run(new float[8], new float[7], new float[8], relu: false));
        Assert.Contains("x has 8 floats, a 7, y 8", error.Message);
        Assert.Throws<ArgumentException>(() => AddKernel.Reference(new float[8], new float[8], new float[9], relu: false));
    }
}
