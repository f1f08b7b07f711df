using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class Relu6KernelTests
{
    [Fact]
    public void ClampsToZeroAndSixOverLengthsZeroTo67InPlaceOrNot()
    {
        var random = new Random(6);
        for (int length = 0; length <= 67; length++)
        {
            float[] values = RandomData.Uniform(random, length, -9, 9);
            float[] expected = values.Select(v => v < 0 ? 0f : v > 6 ? 6f : v).ToArray();
            var separate = new float[length];

            Relu6Kernel.Run(values, separate);
            Relu6Kernel.Run(values, values);

            Assert.Equal(expected, separate);
            Assert.Equal(expected, values);
        }
    }

    [Fact]
    public void MatchesTheScalarReferenceBitForBitWithSpecialValues()
    {
        float[] specials = [float.NaN, -0f, 0f, 6f, 6.0000005f, 5.9999995f, float.PositiveInfinity, float.NegativeInfinity, -float.Epsilon];
        var random = new Random(7);
        for (int length = 1; length <= 67; length++)
        {
            float[] values = RandomData.Uniform(random, length, -12, 12);
            for (int i = 0; i < length; i += 3) values[i] = specials[random.Next(specials.Length)];
            var simd = new float[length];
            var reference = new float[length];

            Relu6Kernel.Run(values, simd);
            Relu6Kernel.Reference(values, reference);

            Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), simd.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void KeepsNaNAndMakesNegativeZeroPositive()
    {
        float[] values = [float.NaN, -0f, float.PositiveInfinity, float.NegativeInfinity, 6.5f];
        Relu6Kernel.Run(values, values);
        Assert.True(float.IsNaN(values[0]));
        Assert.Equal(0, BitConverter.SingleToInt32Bits(values[1]));
        Assert.Equal([6f, 0f, 6f], values[2..]);
    }
}
