using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>LC compression to ranks the user fixes (<see cref="LcOptions.FixedRanks"/>, <c>elr compress --ranks</c>), on the
/// 64-48-10 MLP of <see cref="SmallProblem"/>: fc1 is 48×64 (ranks up to 27), fc2 10×48 (up to 8).</summary>
public sealed class FixedRankCompressionTests
{
    private static readonly LcOptions Fixed = SmallProblem.Options(FactorizationMethod.Cur, 0) with
    {
        Lambda = null, FixedRanks = new Dictionary<string, int> { ["fc1"] = 6, ["fc2"] = 3 },
    };

    /// <summary>The trained network's layers and zero multipliers, for one C step as direct compression makes it.</summary>
    private static (IReadOnlyList<CompressibleLayer> Layers, float[][] Multipliers) TrainedLayers()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        return (layers, layers.Select(l => new float[l.Layer.Weight.Length]).ToArray());
    }

    [Theory]
    [InlineData(FactorizationMethod.Cur)]
    [InlineData(FactorizationMethod.Svd)]
    public void Every_step_and_the_network_written_hold_the_given_ranks_and_W_approaches_Theta(FactorizationMethod method)
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, Fixed with { Method = method });

        Assert.All(result.Steps, step => Assert.Equal([6, 3], step.Ranks));
        FactorizedLayer[] factorized = result.Network.Layers.OfType<FactorizedLayer>().ToArray();
        Assert.Equal([(6, method), (3, method)], factorized.Select(f => (f.Rank, f.Method)));
        // ‖W − Θ‖² at the last C step is a small part of its value at direct compression (measured: 1.5–2%), and falling over
        // the last steps (the multipliers' drift raises it in the first half here, as on the digits, docs/ALGORITHM.md).
        double first = result.Steps[0].ConstraintGap;
        Assert.True(result.FinalConstraintGap < 0.05 * first, $"‖W−Θ‖² {result.FinalConstraintGap:G3} at the end against {first:G3} at DC");
        double[] last = result.Steps.TakeLast(4).Select(s => s.ConstraintGap).ToArray();
        Assert.Equal(last.OrderDescending(), last);
        Assert.False(result.Steps[^1].LambdaSaturated);
    }

    [Fact]
    public void A_fixed_rank_ignores_the_rank_guard_and_lambda()
    {
        // Rank 1 of fc1 removes far more than half of its energy, which the guard forbids the C step to choose.
        (IReadOnlyList<CompressibleLayer> layers, float[][] multipliers) = TrainedLayers();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 0) with { FixedRanks = new Dictionary<string, int> { ["fc1"] = 1 } };
        foreach (double lambda in new[] { 0.0, 1e-9, 1e6 })
        {
            (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1e-3, options with { Lambda = lambda });
            Assert.Equal((1, false), (decisions[0].Rank, decisions[0].KeepDense));
            Assert.Null(decisions[0].AtCheapestAdmissible);
        }
    }

    [Fact]
    public void The_layers_not_named_are_chosen_by_lambda_as_before()
    {
        (IReadOnlyList<CompressibleLayer> layers, float[][] multipliers) = TrainedLayers();
        LcOptions free = SmallProblem.Options(FactorizationMethod.Svd, 0) with { MaxRelativeError = 0.999 };
        LcOptions mixed = free with { FixedRanks = new Dictionary<string, int> { ["fc1"] = 6 } };
        foreach (double lambda in new[] { 1e-9, 1e-3, 1e6 })
        {
            (LayerDecision[] alone, _) = CompressionStep.Run(layers, multipliers, 1.0, free with { Lambda = lambda });
            (LayerDecision[] beside, _) = CompressionStep.Run(layers, multipliers, 1.0, mixed with { Lambda = lambda });
            Assert.Equal(6, beside[0].Rank);
            Assert.Equal((alone[1].Rank, alone[1].KeepDense), (beside[1].Rank, beside[1].KeepDense));
        }
        // The mixed run through the LC loop: fc1 stays at its rank, fc2 follows λ (cheap at a tiny λ, none at a huge one).
        LcResult run = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, mixed with { Lambda = 1e-4, Steps = 4 });
        Assert.All(run.Steps, step => Assert.Equal(6, step.Ranks[0]));
        Assert.Equal(6, ((FactorizedLayer)run.Network.Layers[1]).Rank);
    }

    [Theory]
    [InlineData(FactorizationMethod.Cur, 2.0)]
    [InlineData(FactorizationMethod.Svd, 3.0)]
    public void A_target_ratio_counts_the_fixed_layers_at_their_ranks_and_chooses_the_others(FactorizationMethod method, double ratio)
    {
        (IReadOnlyList<CompressibleLayer> layers, float[][] multipliers) = TrainedLayers();
        LcOptions options = SmallProblem.Options(method, 0) with
        {
            TargetRatio = ratio, MaxRelativeError = 0.999, FixedRanks = new Dictionary<string, int> { ["fc2"] = 2 },
        };

        (LayerDecision[] decisions, _) = CompressionStep.Run(layers, multipliers, 1.0, options);

        Assert.Equal(2, decisions[1].Rank);
        double reached = CompressionRatios.Storage(layers, decisions);
        // Within one rank of fc1 (48 + 64 numbers) above the target, as the budget fill promises.
        double dense = layers.Sum(l => (double)l.Rows * l.Columns);
        Assert.InRange(reached, ratio, dense / (dense / ratio - (48 + 64)));
    }

    [Fact]
    public void A_target_ratio_that_the_fixed_ranks_put_out_of_reach_is_refused()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 0) with { FixedRanks = new Dictionary<string, int> { ["fc1"] = 27 } };
        // fc1 at rank 27 stores 3,024 of its 3,072 numbers; fc2 at rank 1 stores 58 of 480: 3,552 / 3,082 = 1.15× at most.
        LearningCompression.CheckRequest(layers, options with { TargetRatio = 1.14 });
        Assert.Contains("--target-ratio 1.2 cannot be reached", Assert.Throws<CompressionException>(() =>
            LearningCompression.CheckRequest(layers, options with { TargetRatio = 1.2 })).Message);
    }

    [Theory]
    [InlineData("fc9=3", "--ranks names 'fc9', but the dense and convolution layers of this network are fc1, fc2")]
    [InlineData("fc1=28", "--ranks gives fc1 (48×64) rank 28, whose factors store 3,136 numbers, no fewer than its dense 3,072: from rank 28 on the layer is better left dense; give it a rank from 1 to 27, or name it in --keep-dense to keep it dense.")]
    [InlineData("fc1=6,fc2=3,keep:fc1", "--ranks gives fc1 rank 6 and --keep-dense keeps it dense; name it in one of the two.")]
    [InlineData("fc1=6,fc2=3,classifier-dense", "--ranks names fc2, the classifier, which stays dense unless --compress-classifier")]
    [InlineData("fc1=6,fc2=3,lambda", "--lambda is meaningless here: --ranks fixes every layer the C step may factorize")]
    [InlineData("fc1=6,fc2=3,target", "--target-ratio is meaningless here: --ranks fixes every layer the C step may factorize")]
    [InlineData("fc1=6", "--ranks leaves fc2 to the C step, which chooses its rank by --lambda X or --target-ratio R")]
    public void A_request_that_cannot_work_is_refused_before_any_work(string request, string message)
    {
        string[] parts = request.Split(',');
        var ranks = parts.Where(p => p.Contains('=')).ToDictionary(p => p.Split('=')[0], p => int.Parse(p.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        LcOptions options = Fixed with
        {
            FixedRanks = ranks,
            KeepDense = parts.Where(p => p.StartsWith("keep:", StringComparison.Ordinal)).Select(p => p["keep:".Length..]).ToArray(),
            CompressClassifier = !parts.Contains("classifier-dense"),
            Lambda = parts.Contains("lambda") ? 1e-4 : null,
            TargetRatio = parts.Contains("target") ? 2 : null,
        };
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        Assert.Contains(message, Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options)).Message);
    }

    [Theory]
    [InlineData("fc1:10", "layer=rank pairs")]
    [InlineData("fc1=0", "a rank is a whole number of at least 1")]
    [InlineData("fc1=-3", "a rank is a whole number of at least 1")]
    [InlineData("fc1=2.5", "a rank is a whole number of at least 1")]
    [InlineData("fc1=3,fc1=4", "--ranks names fc1 twice")]
    public void A_malformed_list_is_refused_as_elr_train_refuses_it(string ranks, string message) =>
        Assert.Contains(message, Assert.Throws<CompressionException>(() => CompressionArguments.Parse("cur", "qdeim", 2, "storage", null, null, ranks: ranks)).Message);

    [Fact]
    public void The_ranks_alone_need_no_lambda_and_are_recorded()
    {
        LcOptions options = CompressionArguments.Parse("svd", "qdeim", 2, "storage", null, null, ranks: "fc2=3,fc1=6");
        Assert.Null(options.Lambda);
        Dictionary<string, string> recorded = options.ToProperties().ToDictionary();
        Assert.Equal("fc1=6,fc2=3", recorded["compress.fixed-ranks"]);
        Assert.Equal("none", recorded["compress.lambda"]);
        Assert.Contains("compress.fixed-ranks=fc1=6,fc2=3", options.CheckpointFingerprint());
        Assert.Contains("Give exactly one of --lambda", Assert.Throws<CompressionException>(() => CompressionArguments.Parse("svd", "qdeim", 2, "storage", null, null)).Message);
    }

    [Fact]
    public void A_killed_run_with_fixed_ranks_resumes_to_the_same_bits_and_other_ranks_are_refused()
    {
        LcOptions options = Fixed with { Steps = 4 };
        float[][] whole = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options).Network.TrainedState.ToArray();
        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path,
            resumeFrom: null, new CheckpointResumeTests.CallbackProgress(r => { if (r.Step == 1) kill.Cancel(); }), kill.Token));

        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            options with { FixedRanks = new Dictionary<string, int> { ["fc1"] = 5, ["fc2"] = 3 } }, folder.Path, LearningCompression.Read(folder.Path)));
        Assert.Contains("another run (--ranks fc1=6,fc2=3 there, fc1=5,fc2=3 here)", e.Message);
        float[][] resumed = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path)).Network.TrainedState.ToArray();
        Assert.Equal(whole.Length, resumed.Length);
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], resumed[i]);
    }
}
