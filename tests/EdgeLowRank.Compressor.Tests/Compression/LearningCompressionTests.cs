using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class LearningCompressionTests
{
    [Theory]
    [InlineData(FactorizationMethod.Svd)]
    [InlineData(FactorizationMethod.Cur)]
    public void ConstraintGapShrinksTowardsZero(FactorizationMethod method)
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, SmallProblem.Options(method, 1e-4));
        double first = result.Steps[1].ConstraintGap, last = result.FinalConstraintGap;
        Assert.True(last < 0.05 * first, $"‖W−Θ‖² went from {first} to {last}");
        Assert.True(result.FinalRelativeGap < 1e-3, $"relative gap {result.FinalRelativeGap}");
    }

    [Theory]
    [InlineData(FactorizationMethod.Svd)]
    [InlineData(FactorizationMethod.Cur)]
    public void HigherLambdaGivesLowerRanks(FactorizationMethod method)
    {
        int[] RanksAt(double lambda) => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(method, lambda) with { Steps = 6, FinetuneEpochs = 0 }).Steps[^1].Ranks;
        int[] low = RanksAt(1e-5), high = RanksAt(1e-3);
        Assert.True(high.Zip(low).All(p => Effective(p.First) <= Effective(p.Second)), $"λ 1e-5: {string.Join(',', low)}; λ 1e-3: {string.Join(',', high)}");
        Assert.True(high.Sum(Effective) < low.Sum(Effective));
    }

    [Fact]
    public void A_validation_share_is_held_out_of_every_use_of_the_training_data_and_scored()
    {
        // Distillation and a fine-tune too: the teacher's targets and the fine-tune must see the kept part only.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 3, DistillationWeight = 0.3, FinetuneEpochs = 1 };
        var (kept, heldOut) = SmallProblem.Data.Train.SplitValidation(0.25, seed: 7);

        LcResult held = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options with { ValidationShare = 0.25, ValidationSeed = 7 });
        LcResult byHand = LearningCompression.Run(SmallProblem.TrainedNetwork(), new DatasetParts(kept, SmallProblem.Data.Test), options);

        Assert.Equal(byHand.Network.Parameters.SelectMany(p => p.Value), held.Network.Parameters.SelectMany(p => p.Value));
        Assert.Equal(Trainer.Evaluate(held.Network, heldOut, new ComputeThreads(1)).Accuracy, held.ValidationAccuracy);
        Assert.Null(byHand.ValidationAccuracy);
        Assert.All(held.Steps, s => Assert.NotNull(s.ValidationError));
        Assert.All(byHand.Steps, s => Assert.Null(s.ValidationError));
    }

    [Fact]
    public void RankGuardNeverLetsALayerCollapse()
    {
        // A huge λ wants rank 0 everywhere; the guard keeps at least half of each layer's energy.
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Cur, 10) with { Steps = 2, FinetuneEpochs = 0 });
        Assert.All(result.Steps, s => Assert.All(s.Ranks, r => Assert.True(r != 0)));
    }

    [Fact]
    public void TargetRatioIsMetWithinFivePercent()
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Svd, 0) with { TargetRatio = 3, MaxRelativeError = 0.95, LearningRateDecay = 0.98, WeightDecay = 0 });
        Assert.InRange(result.Steps[^1].StorageRatio, 3 * 0.95, 3 * 1.05);
    }

    [Fact]
    public void LowRankLayersBecomeFactorizedLayersOfTheirRank()
    {
        LcResult result = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            SmallProblem.Options(FactorizationMethod.Cur, 1e-3) with { Steps = 3 });
        int[] ranks = result.Steps[^1].Ranks;
        var weighted = result.Network.Layers.Where(l => l is Dense or FactorizedLayer).ToArray();
        Assert.Equal(ranks.Length, weighted.Length);
        for (int l = 0; l < ranks.Length; l++)
        {
            if (ranks[l] < 0) Assert.IsType<Dense>(weighted[l]);
            else Assert.Equal(ranks[l], Assert.IsType<FactorizedLayer>(weighted[l]).Parameters[0].Rows);
        }
        Assert.Contains(ranks, r => r > 0);
    }

    private static int Effective(int rank) => rank < 0 ? int.MaxValue / 8 : rank;
}
