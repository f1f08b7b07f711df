using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class CurDecompositionTests
{
    public static TheoryData<CurSelection, double> EverySelection()
    {
        var data = new TheoryData<CurSelection, double>();
        foreach (CurSelection selection in Enum.GetValues<CurSelection>())
        {
            data.Add(selection, 1.0);
            data.Add(selection, 2.0);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EverySelection))]
    public void RecoversAnExactlyLowRankMatrix(CurSelection selection, double oversampling)
    {
        const int rank = 7;
        var w = TestMatrices.ExactRank(40, 55, rank, seed: 21);

        CurResult cur = CurDecomposition.Factorize(w, rank, new CurOptions(selection, oversampling, Seed: 3));

        Assert.True((cur.Factors.Approximation() - w).FrobeniusNorm() < 1e-9 * w.FrobeniusNorm(), $"{selection}, ρ = {oversampling}");
        Assert.Equal(rank, cur.Factors.Rank);
    }

    [Theory]
    [InlineData(CurSelection.QDeim)]
    [InlineData(CurSelection.Deim)]
    public void CrossCoreRecoversAnExactlyLowRankMatrix(CurSelection selection)
    {
        const int rank = 5;
        var w = TestMatrices.ExactRank(30, 45, rank, seed: 4);

        CurResult cur = CurDecomposition.Factorize(w, rank, new CurOptions(selection, 1.0, CurCore.Cross));

        Assert.True((cur.Factors.Approximation() - w).FrobeniusNorm() < 1e-8 * w.FrobeniusNorm());
    }

    [Fact]
    public void CrossCoreIsNoBetterThanProjectionCoreOnAFullRankMatrix()
    {
        var w = TestMatrices.Decaying(40, 60, 0.9, seed: 6);
        foreach (int rank in new[] { 3, 8, 15 })
        {
            double projection = TestMatrices.SquaredError(w, CurDecomposition.Factorize(w, rank, new CurOptions(Oversampling: 1)).Factors.Approximation());
            double cross = TestMatrices.SquaredError(w, CurDecomposition.Factorize(w, rank, new CurOptions(Oversampling: 1, Core: CurCore.Cross)).Factors.Approximation());
            Assert.True(cross >= projection * (1 - 1e-9), $"rank {rank}: cross {cross} < projection {projection}");
        }
    }

    [Theory]
    [MemberData(nameof(EverySelection))]
    public void EckartYoungCurErrorIsNeverBelowSvdErrorOnRandomMatrices(CurSelection selection, double oversampling)
    {
        for (int trial = 0; trial < 6; trial++)
        {
            var random = new Random(100 + trial);
            int rows = random.Next(2, 30), columns = random.Next(2, 30);
            var w = trial % 2 == 0
                ? TestMatrices.Uniform(rows, columns, 200 + trial)
                : TestMatrices.Decaying(rows, columns, 0.5 + 0.45 * random.NextDouble(), 300 + trial);
            double[] svd = TruncatedSvd.Compute(w).ErrorCurve();

            double[] cur = CurDecomposition.ErrorCurve(w, new CurOptions(selection, oversampling, Seed: trial));

            double slack = 1e-12 * svd[0];
            for (int r = 0; r < svd.Length; r++)
            {
                Assert.True(cur[r] >= svd[r] - slack, $"{rows}×{columns}, rank {r}: CUR {cur[r]} < SVD {svd[r]}");
            }
        }
    }

    [Theory]
    [InlineData(60, 90, 0.8)]
    [InlineData(90, 60, 0.85)]
    [InlineData(50, 50, 0.7)]
    public void QDeimWithOversamplingIsWithinTwiceTheSvdErrorOnDecayingSpectra(int rows, int columns, double decay)
    {
        var w = TestMatrices.Decaying(rows, columns, decay, seed: 31);
        double[] svd = TruncatedSvd.Compute(w).ErrorCurve();

        double[] cur = CurDecomposition.ErrorCurve(w, new CurOptions(CurSelection.QDeim));

        for (int r = 1; r <= Math.Min(rows, columns) / 2; r++)
        {
            Assert.True(cur[r] <= 2 * svd[r], $"rank {r}: CUR/SVD = {cur[r] / svd[r]:F2}");
        }
    }

    [Fact]
    public void OversamplingKeepsMoreEnergyThanPlainQDeimAtLowRanks()
    {
        // Plain Q-DEIM (ρ = 1) exceeds twice the SVD error from rank 5 on this matrix (3.2× at rank 7):
        // the low-rank energy loss that oversampling is there to fix.
        var w = TestMatrices.Decaying(60, 90, 0.8, seed: 32);

        double[] plain = CurDecomposition.ErrorCurve(w, new CurOptions(CurSelection.QDeim, Oversampling: 1));
        double[] oversampled = CurDecomposition.ErrorCurve(w, new CurOptions(CurSelection.QDeim, Oversampling: 2));

        for (int r = 1; r <= 10; r++)
        {
            Assert.True(oversampled[r] < plain[r], $"rank {r}: oversampled {oversampled[r]} vs plain {plain[r]}");
        }
    }

    [Theory]
    [MemberData(nameof(EverySelection))]
    public void IncrementalErrorCurveEqualsAFreshFactorizationAtEveryRank(CurSelection selection, double oversampling)
    {
        var w = TestMatrices.Decaying(18, 26, 0.8, seed: 41);
        var options = new CurOptions(selection, oversampling, Seed: 9);

        double[] curve = CurDecomposition.ErrorCurve(w, options);

        Assert.Equal(19, curve.Length);
        double tolerance = 1e-11 * curve[0];
        for (int r = 0; r <= 18; r++)
        {
            CurResult fresh = CurDecomposition.Factorize(w, r, options);
            double direct = TestMatrices.SquaredError(w, fresh.Factors.Approximation());
            Assert.True(Math.Abs(direct - curve[r]) <= tolerance, $"rank {r}: curve {curve[r]}, fresh {direct}");
        }
    }

    [Fact]
    public void ErrorCurveCanStopAtAMaximumRank()
    {
        var w = TestMatrices.Uniform(20, 30, seed: 5);

        double[] full = CurDecomposition.ErrorCurve(w);
        double[] partial = CurDecomposition.ErrorCurve(w, maxRank: 9);

        Assert.Equal(10, partial.Length);
        Assert.Equal(full.AsSpan(0, 10).ToArray(), partial);
    }

    [Fact]
    public void SelectionsAreNested()
    {
        var w = TestMatrices.Uniform(30, 40, seed: 12);
        var options = new CurOptions(CurSelection.QDeim, Oversampling: 1);

        var small = CurDecomposition.Factorize(w, 6, options);
        var large = CurDecomposition.Factorize(w, 19, options);

        Assert.Equal(small.ColumnIndices, large.ColumnIndices.Take(6));
        Assert.Equal(small.RowIndices, large.RowIndices.Take(6));
        Assert.Equal(19, large.ColumnIndices.Distinct().Count());
    }

    [Fact]
    public void SamplingIsDeterministicForASeed()
    {
        var w = TestMatrices.Decaying(40, 50, 0.9, seed: 13);

        var first = CurDecomposition.Factorize(w, 10, new CurOptions(CurSelection.LeverageSampling, Seed: 7));
        var again = CurDecomposition.Factorize(w, 10, new CurOptions(CurSelection.LeverageSampling, Seed: 7));
        var other = CurDecomposition.Factorize(w, 10, new CurOptions(CurSelection.LeverageSampling, Seed: 8));

        Assert.Equal(first.ColumnIndices, again.ColumnIndices);
        Assert.Equal(first.RowIndices, again.RowIndices);
        Assert.Equal(first.Factors.ApproximationRowMajor(), again.Factors.ApproximationRowMajor());
        Assert.NotEqual(first.ColumnIndices, other.ColumnIndices);
    }

    [Fact]
    public void FactorsHaveTheStoredShape()
    {
        var w = TestMatrices.Uniform(12, 20, seed: 14);

        LowRankFactors factors = CurDecomposition.Factorize(w, 4).Factors;

        Assert.Equal((12, 4), (factors.Left.RowCount, factors.Left.ColumnCount));
        Assert.Equal((4, 20), (factors.Right.RowCount, factors.Right.ColumnCount));
        Assert.Equal(4L * 32, factors.StoredParameters);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var w = TestMatrices.Uniform(5, 6, seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => CurDecomposition.Factorize(w, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => CurDecomposition.Factorize(w, 2, new CurOptions(Oversampling: 0.5)));
        Assert.Throws<NotSupportedException>(() => CurDecomposition.ErrorCurve(w, new CurOptions(Core: CurCore.Cross)));
    }
}
