using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class SoftmaxKernelTests
{
    [Fact]
    public void EveryRowIsADistributionOverEveryLength()
    {
        var random = new Random(3);
        for (int length = 1; length <= 257; length++)
        {
            const int Batch = 3;
            float[] x = RandomData.Uniform(random, Batch * length, -10, 10);
            var y = new float[x.Length];
            SoftmaxKernel.Run(x, Batch, length, y);
            for (int m = 0; m < Batch; m++)
            {
                var row = y.AsSpan(m * length, length);
                Assert.InRange(Sum(row), 1 - 1e-5 * length, 1 + 1e-5 * length);
                foreach (float p in row) Assert.InRange(p, 0f, 1f);
            }
        }
    }

    [Fact]
    public void MatchesTheScalarReferenceOverLengthsOneTo67IncludingHugeLogits()
    {
        // One row of moderate logits, one of large ones (where only the max-subtracted form stays finite)
        // and one near float.MaxValue (where x − max itself can overflow to −∞, whose exp is 0).
        float[] scales = [10f, 1e4f, 3e38f];
        var random = new Random(17);
        for (int length = 1; length <= 67; length++)
        {
            float[] x = scales.SelectMany(scale => RandomData.Uniform(random, length, -scale, scale)).ToArray();
            var simd = new float[x.Length];
            var reference = new float[x.Length];

            SoftmaxKernel.Run(x, scales.Length, length, simd);
            SoftmaxKernel.Reference(x, scales.Length, length, reference);

            for (int i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(simd[i] - reference[i]) <= 1e-6 + 1e-5 * reference[i],
                    $"length {length}, element {i}: SIMD {simd[i]}, reference {reference[i]}");
        }
    }

    [Fact]
    public void MatchesTheDefinition()
    {
        float[] x = [1, 2, 3, -1];
        var y = new float[4];
        SoftmaxKernel.Run(x, 1, 4, y);
        double total = x.Sum(v => Math.Exp(v));
        for (int i = 0; i < 4; i++) Assert.Equal(Math.Exp(x[i]) / total, y[i], 1e-6);
    }

    [Fact]
    public void IsStableForLargeLogits()
    {
        // exp(1000) overflows a float: only the max-subtracted form gives finite probabilities.
        float[] x = [1000, 999, 998, -1000, 3e38f, 3e38f];
        var y = new float[x.Length];
        SoftmaxKernel.Run(x, 2, 3, y);
        Assert.Equal(1 / (1 + Math.Exp(-1) + Math.Exp(-2)), y[0], 1e-6);
        Assert.Equal(0.5f, y[4], 1e-6);
        Assert.All(y, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void RunsInPlace()
    {
        float[] x = [0, 0, 5, 5];
        SoftmaxKernel.Run(x, 2, 2, x);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], x);
    }

    [Fact]
    public void RejectsMismatchedSizesAndPartialOverlap()
    {
        var buffer = new float[8];
        Assert.Throws<ArgumentException>(() => SoftmaxKernel.Run(new float[5], 2, 3, new float[5]));
        Assert.Throws<ArgumentException>(() => SoftmaxKernel.Run(new float[6], 2, 3, new float[5]));
        Assert.Throws<ArgumentException>(() => SoftmaxKernel.Run(buffer.AsSpan(0, 4), 2, 2, buffer.AsSpan(1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernel.Run([], 1, 0, []));
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return sum;
    }
}
