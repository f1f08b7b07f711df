using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class DenseKernelsTests
{
    /// <summary>
    /// Both forms of the product against MathNet's, on shapes with and without a remainder of columns past the kernel's
    /// tiles and of rows past its blocks of four. The subtracting form must keep what c held.
    /// </summary>
    [Theory]
    [InlineData(8, 5, 16)]
    [InlineData(7, 3, 19)]
    [InlineData(33, 40, 5)]
    [InlineData(1, 1, 1)]
    public void ProductsAgreeWithMathNet(int m, int k, int n)
    {
        Matrix<double> a = TestMatrices.Uniform(m, k, seed: 1), b = TestMatrices.Uniform(k, n, seed: 2), c = TestMatrices.Uniform(m, n, seed: 3);

        var product = new double[m * n];
        DenseKernels.Multiply(a.ToRowMajorArray(), b.ToRowMajorArray(), product, m, k, n);
        double[] updated = c.ToRowMajorArray();
        DenseKernels.MultiplySubtract(a.ToRowMajorArray(), b.ToRowMajorArray(), updated, m, k, n);

        AssertClose((a * b).ToRowMajorArray(), product);
        AssertClose((c - a * b).ToRowMajorArray(), updated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ASpanTooShortForItsDimensionsIsRefusedNotOverrun(int shortOne)
    {
        // The kernel indexes through unchecked references; a sliced workspace one entry short must not be read past.
        var spans = new[] { new double[3 * 4], new double[4 * 5], new double[3 * 5] };
        spans[shortOne] = new double[spans[shortOne].Length - 1];

        var e = Assert.Throws<ArgumentException>(() => DenseKernels.Multiply(spans[0], spans[1], spans[2], 3, 4, 5));

        Assert.Contains("cannot hold 3×4 · 4×5 = 3×5", e.Message);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"entry {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
