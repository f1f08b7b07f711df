using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Runtime.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class CompressionStepTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    [InlineData(1e3)]
    public void ALayerTheUserKeepsDenseIsNeverFactorized(double lambda)
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        string kept = layers[0].Layer.Name;
        var options = new LcOptions { Method = FactorizationMethod.Svd, Lambda = lambda, KeepDense = [kept], MaxRelativeError = 0.999, Threads = 1 };

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-2, options);
        (LayerDecision[] free, _) = CompressionStep.Run(layers, multipliers, 1e-2, options with { KeepDense = [] });

        Assert.True(decisions[0].KeepDense);
        Assert.Equal(layers[0].Layer.Weight.Value, decisions[0].Theta);   // multipliers 0: Θ = W, no constraint
        for (int l = 1; l < layers.Count; l++) Assert.Equal(free[l].Rank, decisions[l].Rank);
        if (lambda >= 1e-4) Assert.False(free[0].KeepDense);   // so the test shows the option at work, not a dense choice
    }

    [Fact]
    public void ATargetRatioBeyondRankOneEverywhereIsRefusedBeforeAnyWork()
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { KeepDense = [layers[0].Layer.Name] };
        double dense = layers.Sum(l => (double)l.Rows * l.Columns);
        double atRankOne = layers[0].Rows * layers[0].Columns + layers.Skip(1).Sum(l => Math.Min(l.Rows + l.Columns, l.Rows * l.Columns));

        double highest = CompressionStep.HighestReachableRatio(layers, options);

        Assert.Equal(dense / atRankOne, highest, 1e-12);
        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(network, SmallProblem.Data, options with { TargetRatio = highest * 1.01 }));
        Assert.Contains("cannot be reached", e.Message);
        Assert.Contains("kept dense", e.Message);
    }

    [Fact]
    public void AnUnknownLayerToKeepDenseIsRefusedNamingTheLayersThereAre()
    {
        var network = SmallProblem.TrainedNetwork();
        var options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { KeepDense = ["fc9"] };
        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(network, SmallProblem.Data, options));
        Assert.Contains("'fc9'", e.Message);
        Assert.Contains(string.Join(", ", CompressibleLayer.Find(network).Select(l => l.Layer.Name)), e.Message);
    }

    [Theory]
    [InlineData(1e-5, 0.01)]
    [InlineData(1e-4, 0.1)]
    [InlineData(1e-3, 1.0)]
    public void EachLayerGetsTheBruteForceMinimizer(double lambda, double mu)
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => Enumerable.Range(0, l.Layer.Weight.Length).Select(i => (float)(1e-4 * Math.Sin(i))).ToArray()).ToArray();
        var options = new LcOptions { Method = FactorizationMethod.Svd, Lambda = lambda, MaxRelativeError = 0.999, Threads = 2 };
        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, mu, options);

        for (int l = 0; l < layers.Count; l++)
        {
            int m = layers[l].Rows, n = layers[l].Columns;
            float[] w = layers[l].Layer.Weight.Value;
            var target = Matrix<double>.Build.Dense(m, n, (i, j) => w[i * n + j] - multipliers[l][i * n + j] / mu);
            double[] sigma = target.Svd(computeVectors: false).S.ToArray();
            double total = sigma.Sum(s => s * s), bestObjective = lambda * m * n;
            int bestRank = -1;
            for (int r = 0; r < RankSelection.DenseThreshold(m, n) && r <= Math.Min(m, n); r++)
            {
                double error = sigma.Skip(r).Sum(s => s * s);
                if (error > 0.999 * total) continue;
                double objective = lambda * r * (m + n) + 0.5 * mu * error;
                if (objective <= bestObjective * (1 + 1e-9) && (bestRank < 0 || objective < bestObjective * (1 - 1e-9))) (bestRank, bestObjective) = (r, objective);
            }
            Assert.Equal(bestRank < 0, decisions[l].KeepDense);
            if (bestRank >= 0) Assert.Equal(bestRank, decisions[l].Rank);
            var theta = Matrix<double>.Build.DenseOfRowMajor(m, n, decisions[l].Theta.Select(x => (double)x).ToArray());
            double expected = sigma.Skip(decisions[l].KeepDense ? sigma.Length : decisions[l].Rank).Sum(s => s * s);
            Assert.Equal(expected, (target - theta).FrobeniusNorm() * (target - theta).FrobeniusNorm(), 1e-3 * total);
        }
    }
}
