using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class TruncatedSvdTests
{
    [Theory]
    [InlineData(120, 200)]
    [InlineData(200, 120)]
    [InlineData(1, 7)]
    [InlineData(9, 1)]
    [InlineData(33, 33)]
    public void SingularValuesAgreeWithMathNet(int rows, int columns)
    {
        var w = TestMatrices.Uniform(rows, columns, seed: rows * 1000 + columns);
        double[] expected = w.Svd(computeVectors: false).S.ToArray();

        double[] actual = TruncatedSvd.Compute(w).SingularValues();

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9 * expected[i], $"σ{i}: {actual[i]} vs MathNet {expected[i]}");
        }
    }

    [Fact]
    public void ValuesOverSixOrdersOfMagnitudeKeepRelativeAccuracyWhereTheGramRouteAllowsIt()
    {
        // σᵢ from 1 down to 1e-6: the Gram route guarantees relative accuracy ≈ n·ε·(σ₁/σᵢ)².
        var sigma = Enumerable.Range(0, 40).Select(i => Math.Pow(10, -6.0 * i / 39)).ToArray();
        var w = TestMatrices.WithSpectrum(40, 90, sigma, seed: 5);
        double[] expected = w.Svd(computeVectors: false).S.ToArray();

        double[] actual = TruncatedSvd.Compute(w).SingularValues();

        for (int i = 0; i < sigma.Length; i++)
        {
            double bound = Math.Max(1e-6, 1e3 * 2.2e-16 / (expected[i] * expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= bound * expected[i], $"σ{i} = {expected[i]}: got {actual[i]}");
        }
    }

    [Theory]
    [InlineData(60, 90)]
    [InlineData(90, 60)]
    public void VectorsAreOrthonormalAndReconstructTheMatrix(int rows, int columns)
    {
        var w = TestMatrices.Decaying(rows, columns, 0.9, seed: 3);

        SvdResult svd = TruncatedSvd.Compute(w);

        int k = Math.Min(rows, columns);
        var identity = Matrix<double>.Build.DenseIdentity(k);
        Assert.True((svd.LeftVectors().TransposeThisAndMultiply(svd.LeftVectors()) - identity).FrobeniusNorm() < 1e-10);
        Assert.True((svd.RightVectors().TransposeThisAndMultiply(svd.RightVectors()) - identity).FrobeniusNorm() < 1e-10);
        Assert.True((svd.Truncate(k).Approximation() - w).FrobeniusNorm() < 1e-12 * w.FrobeniusNorm());
    }

    [Fact]
    public void FactorsMatchMathNetsBestRankRApproximation()
    {
        var w = TestMatrices.Uniform(50, 80, seed: 11);
        var reference = w.Svd(computeVectors: true);
        const int rank = 12;
        var expected = reference.U.SubMatrix(0, 50, 0, rank)
            * Matrix<double>.Build.DenseOfDiagonalVector(reference.S.SubVector(0, rank))
            * reference.VT.SubMatrix(0, rank, 0, 80);

        LowRankFactors factors = TruncatedSvd.Compute(w, vectorCount: rank).Truncate(rank);

        Assert.Equal(50, factors.Left.RowCount);
        Assert.Equal(rank, factors.Left.ColumnCount);
        Assert.Equal(80, factors.Right.ColumnCount);
        Assert.True((factors.Approximation() - expected).FrobeniusNorm() < 1e-10 * w.FrobeniusNorm());
    }

    [Theory]
    [InlineData(40, 70, 6)]
    [InlineData(70, 40, 6)]
    public void RecoversAnExactlyLowRankMatrix(int rows, int columns, int rank)
    {
        var w = TestMatrices.ExactRank(rows, columns, rank, seed: 2);

        SvdResult svd = TruncatedSvd.Compute(w);

        Assert.True((svd.Truncate(rank).Approximation() - w).FrobeniusNorm() < 1e-10 * w.FrobeniusNorm());
        // The Gram route leaves the zero σᵢ² at rounding level, about max(m,n)·ε·σ₁² each.
        Assert.True(svd.ErrorCurve()[rank] < 1e-11 * Math.Pow(w.FrobeniusNorm(), 2));
    }

    [Fact]
    public void ErrorCurveEqualsTheErrorOfEachTruncation()
    {
        var w = TestMatrices.Uniform(25, 40, seed: 8);
        SvdResult svd = TruncatedSvd.Compute(w);

        double[] curve = svd.ErrorCurve();

        Assert.Equal(26, curve.Length);
        for (int r = 0; r <= 25; r++)
        {
            double direct = TestMatrices.SquaredError(w, svd.Truncate(r).Approximation());
            Assert.Equal(direct, curve[r], 1e-10);
        }
    }

    [Fact]
    public void FloatInputGivesTheSameDecomposition()
    {
        var w = TestMatrices.Uniform(10, 14, seed: 4);
        float[] single = w.ToRowMajorArray().Select(x => (float)x).ToArray();
        var rounded = Matrix<double>.Build.DenseOfRowMajor(10, 14, single.Select(x => (double)x).ToArray());

        Assert.Equal(TruncatedSvd.Compute(rounded).SingularValues(), TruncatedSvd.Compute(single, 10, 14).SingularValues());
        Assert.Throws<ArgumentException>(() => TruncatedSvd.Compute(single, 10, 13));
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 15)]
    [InlineData(3, 20)]
    [InlineData(5, 15)]
    public void AFloatLayerThatHasReachedItsLowRankTargetDecomposes(int seed, int rank)
    {
        // Late in an LC run W is Θ of rank r up to float rounding: the Gram matrix then has 300 − r
        // eigenvalues at rounding level, on which the QL iteration used to stall and throw.
        Matrix<double> exact = TestMatrices.ExactRank(300, 784, rank, seed);
        float[] single = Array.ConvertAll(exact.ToRowMajorArray(), x => (float)x);

        SvdResult svd = TruncatedSvd.Compute(single, 300, 784);

        double[] values = svd.SingularValues();
        Assert.True(values[rank] < 1e-5 * values[0], $"σ_{rank} = {values[rank]:G3} against σ_0 = {values[0]:G3}");
        Assert.True((svd.Truncate(rank).Approximation() - exact).FrobeniusNorm() < 1e-6 * exact.FrobeniusNorm());
    }
}
