using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Tests.Factorization;

public class RankSelectionTests
{
    [Theory]
    [InlineData(300, 784, 217)]
    [InlineData(10, 100, 10)]
    [InlineData(4, 4, 2)]
    public void DenseThresholdIsTheFirstRankThatSavesNothing(int rows, int columns, int expected)
    {
        int threshold = RankSelection.DenseThreshold(rows, columns);

        Assert.Equal(expected, threshold);
        Assert.True((long)threshold * (rows + columns) >= (long)rows * columns);
        Assert.True((long)(threshold - 1) * (rows + columns) < (long)rows * columns);
    }

    [Fact]
    public void EnumerationMatchesBruteForceOverFreshFactorizations()
    {
        var random = new Random(77);
        for (int trial = 0; trial < 40; trial++)
        {
            int rows = random.Next(1, 12), columns = random.Next(1, 12);
            var w = TestMatrices.Decaying(rows, columns, 0.3 + 0.6 * random.NextDouble(), seed: trial);
            double lambda = Math.Pow(10, -4 + 3 * random.NextDouble());
            double mu = Math.Pow(10, -2 + 3 * random.NextDouble());
            bool useCur = trial % 2 == 1;
            RankCost cost = trial % 3 == 0 ? RankCost.Flops(rows, columns, outputPixels: 9) : RankCost.Storage(rows, columns);
            double[] curve = useCur ? CurDecomposition.ErrorCurve(w) : TruncatedSvd.Compute(w).ErrorCurve();

            RankChoice choice = RankSelection.Choose(curve, rows, columns, cost, lambda, mu);

            // Brute force: build every candidate Θ(r) from scratch and measure it.
            double bestObjective = lambda * cost.Dense;
            int bestRank = -1;
            for (int r = 0; r < Math.Min(rows, columns) + 1; r++)
            {
                if ((long)r * (rows + columns) >= (long)rows * columns)
                {
                    continue;
                }
                var theta = useCur ? CurDecomposition.Factorize(w, r).Factors : TruncatedSvd.Compute(w).Truncate(r);
                double objective = lambda * cost.OfRank(r) + 0.5 * mu * TestMatrices.SquaredError(w, theta.Approximation());
                if (objective < bestObjective - 1e-12 * Math.Abs(bestObjective))
                {
                    bestObjective = objective;
                    bestRank = r;
                }
            }
            Assert.Equal(bestObjective, choice.Objective, 1e-9);
            Assert.Equal(bestRank < 0, choice.KeepDense);
            if (bestRank >= 0)
            {
                Assert.Equal(bestRank, choice.Rank);
            }
        }
    }

    [Fact]
    public void LargeLambdaGivesRankZeroAndZeroLambdaKeepsTheLayerExact()
    {
        var w = TestMatrices.Uniform(6, 9, seed: 3);
        double[] curve = TruncatedSvd.Compute(w).ErrorCurve();
        var cost = RankCost.Storage(6, 9);

        Assert.Equal(0, RankSelection.Choose(curve, 6, 9, cost, lambda: 1e6, mu: 1).Rank);
        Assert.True(RankSelection.Choose(curve, 6, 9, cost, lambda: 0, mu: 1).KeepDense);
    }

    [Fact]
    public void UserCostIsHonoured()
    {
        double[] curve = { 10, 4, 1, 0.5 };
        var latency = new RankCost(r => r == 2 ? 0 : 100, Dense: 1000);

        RankChoice choice = RankSelection.Choose(curve, 8, 8, latency, lambda: 1, mu: 1);

        Assert.Equal(2, choice.Rank);
        Assert.Equal(0.5, choice.Objective);
    }

    [Fact]
    public void NegativeLambdaIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RankSelection.Choose(new double[] { 1 }, 2, 2, RankCost.Storage(2, 2), -1, 1));
    }
}
