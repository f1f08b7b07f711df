using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class CompressionStepTests
{
    [Theory]
    [InlineData(1e-4)]
    [InlineData(1e3)]
    public void ALayerTheUserKeepsDenseIsNeverFactorized(double lambda)
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => Enumerable.Range(0, l.Layer.Weight.Length).Select(i => (float)(1e-4 * Math.Cos(i))).ToArray()).ToArray();
        const double mu = 1e-2;
        var options = new LcOptions { Method = FactorizationMethod.Svd, Lambda = lambda, KeepDense = [layers[0].Layer.Name], MaxRelativeError = 0.999, Threads = 1, CompressClassifier = true };

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, mu, options);
        (LayerDecision[] free, _) = CompressionStep.Run(layers, multipliers, mu, options with { KeepDense = [] });

        Assert.False(free[0].KeepDense);   // without the option this λ factorizes the layer, so the option is what keeps it dense
        Assert.True(decisions[0].KeepDense);
        float[] w = layers[0].Layer.Weight.Value;
        for (int i = 0; i < w.Length; i++) Assert.Equal(w[i] - multipliers[0][i] / mu, decisions[0].Theta[i], 1e-6);   // Θ = W − λ_l/μ
        for (int l = 1; l < layers.Count; l++) Assert.Equal(free[l].Rank, decisions[l].Rank);
    }

    [Fact]
    public void Normalized_errors_choose_the_same_ranks_whatever_the_size_of_a_layers_weights_and_absolute_ones_do_not()
    {
        // The LC toolkit's normalize: each layer's error as a share of its ‖A‖², so ten times larger weights in one layer
        // change nothing, where absolute errors a hundred times larger buy that layer rank from the others.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 0) with { TargetRatio = 2, MaxRelativeError = 0.95 };
        int[] Ranks(bool normalize, float scale)
        {
            var network = SmallProblem.TrainedNetwork();
            IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
            float[] w = layers[0].Layer.Weight.Value;
            for (int i = 0; i < w.Length; i++) w[i] *= scale;
            var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
            (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { NormalizeError = normalize });
            return [.. decisions.Select(d => d.KeepDense ? -1 : d.Rank)];
        }

        Assert.Equal(Ranks(normalize: true, scale: 1), Ranks(normalize: true, scale: 10));
        int[] absolute = Ranks(normalize: false, scale: 1), scaled = Ranks(normalize: false, scale: 10);
        Assert.NotEqual(absolute, scaled);
        Assert.True(scaled[0] > absolute[0], $"layer 0's rank {absolute[0]} → {scaled[0]} with ten times its weights");
    }

    [Fact]
    public void A_lambda_past_what_changes_the_ranks_is_told_apart_from_one_below_it()
    {
        // The trial's digits MLP gave the same run at λ 1 and λ 1000: the rank guard chose the ranks, not λ.
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e6);

        (LayerDecision[] huge, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);
        (LayerDecision[] larger, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { Lambda = 1e9 });
        (LayerDecision[] small, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { Lambda = 1e-9 });
        (LayerDecision[] held, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { KeepDense = [layers[0].Layer.Name] });

        Assert.All(huge, d => Assert.True(d.AtCheapestAdmissible));
        Assert.Equal(huge.Select(d => d.Rank), larger.Select(d => d.Rank));   // which is what the flag promises
        Assert.All(small, d => Assert.False(d.AtCheapestAdmissible));          // a tiny λ keeps the layers dense: not the cheapest
        Assert.Null(held[0].AtCheapestAdmissible);                             // held dense by the options: λ has no say
        Assert.True(held[1].AtCheapestAdmissible);
        Assert.True(CompressionStep.LambdaSaturated(huge));
        Assert.False(CompressionStep.LambdaSaturated(small));

        // Between the two: λs at which a layer is factorized above the rank a huge λ gives it (under the storage cost the
        // cheapest the guard admits) are not saturated, and a step with one such layer is not, though the other is.
        bool foundAbove = false;
        foreach (double lambda in Enumerable.Range(0, 25).Select(i => Math.Pow(10, -14 + i * 0.5)))
        {
            (LayerDecision[] between, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { Lambda = lambda });
            for (int l = 0; l < layers.Count; l++)
            {
                if (between[l].KeepDense || between[l].Rank == huge[l].Rank) continue;
                Assert.True(between[l].Rank > huge[l].Rank);
                Assert.False(between[l].AtCheapestAdmissible);
                foundAbove = true;
            }
        }
        Assert.True(foundAbove, "no λ of the list factorized a layer above its cheapest admissible rank");
        // A guard that admits no rank leaves λ nothing to price: no layer is saturated, whatever λ (a review's run at λ 1e-9
        // was told it was past saturation).
        (LayerDecision[] guarded, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { Lambda = 1e-9, MaxRelativeError = 1e-9 });
        Assert.All(guarded, d => Assert.Null(d.AtCheapestAdmissible));
        Assert.False(CompressionStep.LambdaSaturated(guarded));
        LayerDecision[] mixed = [huge[0], huge[1] with { AtCheapestAdmissible = false }];
        Assert.False(CompressionStep.LambdaSaturated(mixed));
        Assert.True(CompressionStep.LambdaSaturated([huge[0], huge[1] with { AtCheapestAdmissible = null }]));   // λ does not price that one
    }

    [Fact]
    public void TheHighestReachableRatioIsWhatTheLargestLambdaReaches()
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        // A guard that lets rank 1 through, so the bound is met, not only respected.
        // The classifier held dense by default (SmallProblem frees it).
        var options = SmallProblem.Options(FactorizationMethod.Svd, 1e6) with { CompressClassifier = false, MaxRelativeError = 0.9999999 };

        double highest = CompressionStep.HighestReachableRatio(layers, options);
        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);

        Assert.Equal(1, decisions[0].Rank);
        Assert.True(decisions[1].KeepDense);
        Assert.Equal(highest, CompressionRatios.Storage(layers, decisions), 1e-9);
        LearningCompression.CheckRequest(layers, options with { TargetRatio = highest * 0.99 });
        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options with { TargetRatio = highest * 1.01 }));
        Assert.Contains("cannot be reached", e.Message);
        Assert.Contains($"but those kept dense ({layers[1].Layer.Name} (the classifier))", e.Message);
    }

    [Fact]
    public void ARunWithALayerKeptDenseReachesItsTargetWithTheOthers()
    {
        var network = SmallProblem.TrainedNetwork();
        // The classifier, fc2, held dense by default (SmallProblem frees it).
        var options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { CompressClassifier = false, TargetRatio = 1.5, Steps = 3 };

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, options);

        Assert.All(result.Steps, step => Assert.Equal(-1, step.Ranks[1]));
        Assert.All(result.Steps, step => Assert.True(step.Ranks[0] > 0));
        Assert.InRange(result.Steps[^1].StorageRatio, 1.5, 1.5 * 1.05);   // the kept layer's dense cost counts
    }

    [Theory]
    [InlineData(FactorizationMethod.Cur, 1.5)]
    [InlineData(FactorizationMethod.Cur, 3.0)]
    [InlineData(FactorizationMethod.Svd, 1.5)]
    [InlineData(FactorizationMethod.Svd, 3.0)]
    public void ATargetRatioIsMetWithinOneRankOfItsBudget(FactorizationMethod method, double ratio)
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        var options = SmallProblem.Options(method, 0) with { TargetRatio = ratio, MaxRelativeError = 0.999 };

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);

        // Not below the target, and less than one rank of the widest layer above it: the bisection alone jumped past
        // flat stretches of the error curves here (1.95× for 1.5× in a whole run).
        double dense = layers.Sum(l => (double)l.Rows * l.Columns), budget = dense / ratio, widest = layers.Max(l => l.Rows + l.Columns);
        double spent = dense / CompressionRatios.Storage(layers, decisions);
        Assert.InRange(spent, budget - widest, budget);
    }

    [Fact]
    public void ARankThatSavesTooLittleIsNeverChosen()
    {
        var network = SmallProblem.TrainedNetwork();
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);   // fc1 48×64, fc2 10×48
        // fc2 gets singular values σ_k = 10^(−k/2), steep enough that some λ prefers rank 8 (464 of 480 numbers, 3% saved)
        // to both rank 7 and dense.
        float[] fc2 = layers[1].Layer.Weight.Value;
        Array.Clear(fc2);
        for (int k = 0; k < 10; k++) fc2[k * 48 + k] = (float)Math.Pow(10, -(k + 1) / 2.0);
        float[][] multipliers = [Enumerable.Repeat(0.5f, layers[0].Layer.Weight.Length).ToArray(), new float[fc2.Length]];
        var options = new LcOptions { Method = FactorizationMethod.Svd, MaxRelativeError = 0.999, Threads = 1, CompressClassifier = true };
        bool everChosen = false;
        foreach (double lambda in Enumerable.Range(0, 57).Select(i => Math.Pow(10, -12 + 0.25 * i)))
        {
            (LayerDecision[] all, _) = CompressionStep.Run(layers, multipliers, 2.0, options with { Lambda = lambda, MinRankSaving = 0 });
            (LayerDecision[] saving, _) = CompressionStep.Run(layers, multipliers, 2.0, options with { Lambda = lambda, MinRankSaving = 0.1 });
            everChosen |= all.Select((d, l) => !d.KeepDense && !layers[l].Saves(d.Rank, 0.1)).Any(x => x);
            for (int l = 0; l < layers.Count; l++)
            {
                Assert.True(saving[l].KeepDense || layers[l].Saves(saving[l].Rank, 0.1), $"λ {lambda}: {layers[l].Layer.Name} at rank {saving[l].Rank}");
                if (!saving[l].KeepDense) continue;
                float[] w = layers[l].Layer.Weight.Value;
                for (int i = 0; i < w.Length; i++) Assert.Equal(w[i] - multipliers[l][i] / 2, saving[l].Theta[i], 1e-6f);   // Θ = W − λ_l/μ
            }
        }
        Assert.True(everChosen, "no λ chose a rank saving under 10% without the rule, so this test shows nothing");
        Assert.Throws<CompressionException>(() => new LcOptions { MinRankSaving = 1 }.Validate());
    }

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void ALeastFlopsRatioIsMetTogetherWithTheTargetRatio(FactorizationMethod method)
    {
        IReadOnlyList<CompressibleLayer> layers = ConvolutionLayers();
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        var options = new LcOptions { Method = method, TargetRatio = 2, MaxRelativeError = 0.999, Threads = 1, CompressClassifier = true };

        (LayerDecision[] storageOnly, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);
        double floor = 1.25 * CompressionRatios.Flops(layers, storageOnly);   // a floor the storage budget alone misses
        Assert.True(floor < CompressionStep.HighestReachableRatio(layers, options with { Criterion = CostCriterion.Flops }));
        (LayerDecision[] both, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { MinFlopsRatio = floor });

        Assert.True(CompressionRatios.Storage(layers, both) >= 2, $"storage ratio {CompressionRatios.Storage(layers, both)}");
        Assert.True(CompressionRatios.Flops(layers, both) >= floor, $"FLOPs ratio {CompressionRatios.Flops(layers, both)} below {floor}");
    }

    [Theory]
    [InlineData(2.0, 1.5)]
    [InlineData(2.0, 3.0)]
    [InlineData(3.0, 2.0)]
    public void TwoBudgetsComeCloseToTheBruteForceOptimum(double ratio, double floor)
    {
        IReadOnlyList<CompressibleLayer> layers = ConvolutionLayers();
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        var options = new LcOptions { Method = FactorizationMethod.Svd, TargetRatio = ratio, MinFlopsRatio = floor, MaxRelativeError = 0.999, Threads = 1, CompressClassifier = true };

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);

        // Every admissible combination of ranks (dense = -1) that meets both budgets, by brute force on exact SVD errors.
        double[][] errors = layers.Select(l =>
        {
            var w = Matrix<double>.Build.DenseOfRowMajor(l.Rows, l.Columns, l.Layer.Weight.Value.Select(x => (double)x));
            double[] sigma = w.Svd(computeVectors: false).S.ToArray();
            return Enumerable.Range(0, l.MaxCandidateRank + 1).Select(r => sigma.Skip(r).Sum(x => x * x)).ToArray();
        }).ToArray();
        int[][] options1 = layers.Select((l, i) => Enumerable.Range(-1, l.MaxCandidateRank + 2)
            .Where(r => r < 0 || (l.Saves(r, 0.1) && errors[i][r] <= 0.999 * errors[i][0])).ToArray()).ToArray();
        double Cost(int l, int r, long pixels) => (r < 0 ? (double)layers[l].Rows * layers[l].Columns : (double)r * (layers[l].Rows + layers[l].Columns)) * pixels;
        double denseStorage = layers.Select((_, l) => Cost(l, -1, 1)).Sum(), denseFlops = layers.Select((l, i) => Cost(i, -1, l.OutputPixels)).Sum();
        double best = double.PositiveInfinity;
        foreach (int a in options1[0]) foreach (int b in options1[1]) foreach (int c in options1[2])
        {
            int[] ranks = [a, b, c];
            if (denseStorage / ranks.Select((r, l) => Cost(l, r, 1)).Sum() < ratio) continue;
            if (denseFlops / ranks.Select((r, l) => Cost(l, r, layers[l].OutputPixels)).Sum() < floor) continue;
            best = Math.Min(best, ranks.Select((r, l) => r < 0 ? 0 : errors[l][r]).Sum());
        }
        double found = decisions.Select((d, l) => d.KeepDense ? 0 : errors[l][d.Rank]).Sum();

        Assert.True(CompressionRatios.Storage(layers, decisions) >= ratio && CompressionRatios.Flops(layers, decisions) >= floor);
        Assert.True(found <= 1.05 * best, $"total error {found}, brute-force optimum {best}");
    }

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void AFloorTheTargetAlreadyMeetsChangesNothing(FactorizationMethod method)
    {
        foreach (int seed in Enumerable.Range(1, 4))
        foreach (double ratio in new[] { 1.5, 2.0, 3.0 })
        foreach (double slack in new[] { 0.999, 0.8 })
        {
            IReadOnlyList<CompressibleLayer> layers = ConvolutionLayers(seed);
            var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
            var options = new LcOptions { Method = method, TargetRatio = ratio, Threads = 1, CompressClassifier = true };

            (LayerDecision[] alone, double lambda) = CompressionStep.Run(layers, multipliers, 1e-3, options);
            double met = CompressionRatios.Flops(layers, alone);
            (LayerDecision[] floored, double flooredLambda) = CompressionStep.Run(layers, multipliers, 1e-3, options with { MinFlopsRatio = Math.Max(1.001, met * slack) });

            Assert.Equal(alone.Select(d => (d.KeepDense, d.Rank)), floored.Select(d => (d.KeepDense, d.Rank)));
            Assert.Equal(lambda, flooredLambda);
        }
    }

    [Fact]
    public void AFloorTheRankGuardForbidsStillKeepsTheTargetRatio()
    {
        IReadOnlyList<CompressibleLayer> layers = ConvolutionLayers();
        var multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        // With the default guard (e(r) ≤ 0.5‖W‖²) the random layers cannot go low enough for this floor; the bound
        // CheckRequest uses ignores the guard, so the request passes it.
        var options = new LcOptions { Method = FactorizationMethod.Svd, TargetRatio = 1.5, MinFlopsRatio = 2.5, Threads = 1, CompressClassifier = true };
        LearningCompression.CheckRequest(layers, options);

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options);
        (LayerDecision[] alone, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { MinFlopsRatio = null });

        double flops = CompressionRatios.Flops(layers, decisions);
        Assert.True(flops < 2.5, "the floor was reachable after all, so this test shows nothing");
        Assert.True(CompressionRatios.Storage(layers, decisions) >= 1.5, $"storage ratio {CompressionRatios.Storage(layers, decisions)}");
        Assert.True(flops > CompressionRatios.Flops(layers, alone), $"FLOPs ratio {flops}, without the floor {CompressionRatios.Flops(layers, alone)}");
    }

    [Fact]
    public void TheRatioWarmupRaisesTheFloorWithTheTarget()
    {
        var options = new LcOptions { TargetRatio = 9, MinFlopsRatio = 4, RatioWarmupSteps = 3 };
        Assert.Equal(3, options.ForStep(0).TargetRatio!.Value, 1e-12);     // 9^(2/4)
        Assert.Equal(2, options.ForStep(0).MinFlopsRatio!.Value, 1e-12);   // 4^(2/4)
        Assert.Equal(4, options.ForStep(2).MinFlopsRatio!.Value, 1e-12);
        LcOptions plain = options with { RatioWarmupSteps = 0 };
        Assert.Same(plain, plain.ForStep(0));
    }

    [Fact]
    public void AnImpossibleLeastFlopsRatioIsRefusedBeforeAnyWork()
    {
        IReadOnlyList<CompressibleLayer> layers = ConvolutionLayers();
        var options = new LcOptions { TargetRatio = 2, CompressClassifier = true };
        double highest = CompressionStep.HighestReachableRatio(layers, options with { Criterion = CostCriterion.Flops });

        LearningCompression.CheckRequest(layers, options with { MinFlopsRatio = highest * 0.99 });
        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options with { MinFlopsRatio = highest * 1.01 }));
        Assert.Contains("--min-flops-ratio", e.Message);
        Assert.Contains("flops cost falls", e.Message);
        Assert.Contains("Lower --min-flops-ratio.", e.Message);
        Assert.Contains("needs --target-ratio", Assert.Throws<CompressionException>(() => new LcOptions { Lambda = 1e-6, MinFlopsRatio = 2 }.Validate()).Message);
        Assert.Contains("already a FLOPs ratio", Assert.Throws<CompressionException>(() => (options with { Criterion = CostCriterion.Flops, MinFlopsRatio = 2 }).Validate()).Message);
        Assert.Contains("above 1, not 1", Assert.Throws<CompressionException>(() => (options with { MinFlopsRatio = 1 }).Validate()).Message);
    }

    /// <summary>
    /// Two convolutions and a classifier on 8×8 images: conv2 holds few numbers but does most multiply–adds, the
    /// classifier the reverse, so a storage budget and a FLOPs budget pull the ranks apart.
    /// </summary>
    private static IReadOnlyList<CompressibleLayer> ConvolutionLayers(int seed = 3)
    {
        var network = new Network("conv", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3)), new Relu("relu1"),
            new Conv2d("conv2", 8, 16, new ConvolutionGeometry(3)), new Relu("relu2"),
            new Flatten("flatten"), new Dense("fc", 4 * 4 * 16, 10),
        ], maxBatch: 8);
        network.Initialize((ulong)seed);
        return CompressibleLayer.Find(network);
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
        var options = new LcOptions { Method = FactorizationMethod.Svd, Lambda = lambda, MaxRelativeError = 0.999, Threads = 2, CompressClassifier = true };
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
                if (error > 0.999 * total || r * (m + n) > 0.9 * m * n) continue;   // the rank guard; MinRankSaving (0.1)
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
