using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class ReluKernelTests
{
    [Fact]
    public void ClampsNegativesToZeroOverEveryLength()
    {
        var random = new Random(5);
        for (int length = 0; length <= 257; length++)
        {
            float[] values = RandomData.Uniform(random, length);
            float[] expected = values.Select(v => v > 0 ? v : 0f).ToArray();
            var separate = new float[length];
            ReluKernel.Run(values, separate);
            Assert.Equal(expected, separate);
            ReluKernel.Run(values, values);
            Assert.Equal(expected, values);
        }
    }

    [Fact]
    public void MatchesTheScalarReferenceBitForBitOverLengthsOneTo67()
    {
        var random = new Random(9);
        for (int length = 1; length <= 67; length++)
        {
            float[] values = RandomData.Uniform(random, length, -1e3, 1e3);
            values[random.Next(length)] = -0f;
            var simd = new float[length];
            var reference = new float[length];

            ReluKernel.Run(values, simd);
            ReluKernel.Reference(values, reference);

            Assert.Equal(simd.Select(BitConverter.SingleToInt32Bits), reference.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void KeepsSpecialValues()
    {
        float[] values = [float.PositiveInfinity, float.NegativeInfinity, -0f, float.NaN];
        ReluKernel.Run(values, values);
        Assert.Equal(float.PositiveInfinity, values[0]);
        Assert.Equal(0f, values[1]);
        Assert.False(float.IsNegative(values[2]));
        Assert.True(float.IsNaN(values[3]));
    }
}
