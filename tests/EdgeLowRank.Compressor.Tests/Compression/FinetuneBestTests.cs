using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>--finetune-best: the fine-tune leaves the network at its best epoch on the held-out share, the network before it
/// included, and a diverged epoch ends it without losing the LC steps.</summary>
public sealed class FinetuneBestTests
{
    private static readonly LcOptions Base = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with
    {
        Steps = 3, FinetuneEpochs = 4, ValidationShare = 0.25, ValidationSeed = 7,
    };

    private static float[] State(Network network) => [.. network.TrainedState.SelectMany(values => values)];

    /// <summary>The epoch kept has the highest held-out accuracy, the lowest loss among those of it, and is the first such.</summary>
    private static void AssertBest(FinetuneChoice choice)
    {
        HeldOutScore kept = choice.Scores[choice.EpochKept];
        double highest = choice.Scores.Max(s => s.Accuracy);
        Assert.Equal(highest, kept.Accuracy);
        Assert.Equal(choice.Scores.Where(s => s.Accuracy == highest).Min(s => s.Loss), kept.Loss);
        Assert.All(choice.Scores.Take(choice.EpochKept), earlier => Assert.False(earlier == kept));
    }

    /// <summary>The synthetic problem's MLP at λ 1e-3, or the batch-norm CNN of <see cref="BatchNormCompressionTests"/> at
    /// target ratio 2, with <paramref name="rate"/>.</summary>
    private static (Network Network, LcOptions Options) Problem(string network, double rate) => network == "mlp"
        ? (SmallProblem.TrainedNetwork(), Base with { Lambda = 1e-3, FinetuneLearningRate = rate })
        : (BatchNormCompressionTests.TrainedNetwork(), Base with { Method = FactorizationMethod.Cur, Lambda = 0, TargetRatio = 2, MaxRelativeError = 0.95, FinetuneLearningRate = rate });

    [Theory]
    [InlineData("mlp", 0.3)]   // the best epoch is 2 of 4
    [InlineData("bn", 0.01)]   // 3 of 4, and the batch norms' running statistics move every epoch
    [InlineData("bn", 0.5)]    // 3 of 4
    public void The_network_is_left_at_the_best_epoch_parameters_and_running_statistics_and_scored_there(string network, double rate)
    {
        // The best epoch falls between the fine-tune's first and its last here, so the state copied out and back is an
        // epoch's other than the last.
        (Network reference, LcOptions options) = Problem(network, rate);
        LcResult best = LearningCompression.Run(reference, SmallProblem.Data, options with { FinetuneKeepBest = true });

        FinetuneChoice choice = Assert.IsType<FinetuneChoice>(best.Finetune);
        Assert.Equal((5, 4), (choice.Scores.Count, choice.Epochs));
        Assert.Null(choice.Diverged);
        Assert.InRange(choice.EpochKept, 1, 3);
        AssertBest(choice);
        Assert.Equal(choice.Scores[choice.EpochKept].Accuracy, best.ValidationAccuracy);
        Assert.Equal(Trainer.Evaluate(best.Network, SmallProblem.Data.Test, ComputeThreads.Single).Accuracy, best.Accuracy);
        // A fine-tune of as many epochs as the one kept leaves the same network, bit for bit, batch norms included.
        LcResult plain = LearningCompression.Run(Problem(network, rate).Network, SmallProblem.Data, options with { FinetuneEpochs = choice.EpochKept });
        Assert.Equal(State(plain.Network), State(best.Network));
        // Without the option the held-out share still scores each epoch (the log's curve), the same scores, and chooses nothing.
        FinetuneChoice scored = plain.Finetune!;
        Assert.Equal((false, choice.EpochKept, false), (scored.ChosenBest, scored.EpochKept, scored.TieBrokenByLoss));
        Assert.Equal(choice.Scores.Take(choice.EpochKept + 1), scored.Scores);
    }

    [Fact]
    public void Epochs_of_equal_held_out_accuracy_are_told_apart_by_their_loss()
    {
        (Network reference, LcOptions options) = Problem("mlp", 0.05);

        FinetuneChoice choice = LearningCompression.Run(reference, SmallProblem.Data, options with { FinetuneKeepBest = true }).Finetune!;

        // Epochs 3 and 4 score the same accuracy; the last, of the lower loss, is kept.
        Assert.Equal(choice.Scores[3].Accuracy, choice.Scores[4].Accuracy);
        Assert.True(choice.Scores[4].Loss < choice.Scores[3].Loss);
        Assert.Equal(4, choice.EpochKept);
        Assert.True(choice.TieBrokenByLoss);
        AssertBest(choice);
    }

    [Fact]
    public void A_tie_is_reported_whichever_of_the_tied_epochs_is_kept()
    {
        HeldOutScore high = new(0.9, 0.30), higherLoss = new(0.9, 0.35), low = new(0.8, 0.2);

        Assert.True(new FinetuneChoice(1, 2, [low, high, higherLoss], ChosenBest: true).TieBrokenByLoss);   // the earlier kept
        Assert.True(new FinetuneChoice(2, 2, [low, higherLoss, high], ChosenBest: true).TieBrokenByLoss);   // the later kept
        Assert.False(new FinetuneChoice(1, 2, [low, high, low], ChosenBest: true).TieBrokenByLoss);
        Assert.False(new FinetuneChoice(2, 2, [low, higherLoss, high], ChosenBest: false).TieBrokenByLoss);
    }

    [Fact]
    public void A_fine_tune_that_only_makes_things_worse_leaves_the_network_the_LC_steps_left()
    {
        // Rate 40: the first epoch wrecks or diverges; either way epoch 0, the reparametrized network, must be what is left.
        LcOptions wild = Base with { FinetuneLearningRate = 40, FinetuneKeepBest = true };
        LcResult kept = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, wild);
        LcResult none = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, Base with { FinetuneEpochs = 0 });

        Assert.Equal(0, kept.Finetune!.EpochKept);
        Assert.Equal(State(none.Network), State(kept.Network));
        Assert.Equal(kept.AccuracyBeforeFinetune, kept.Accuracy);
        Assert.Equal(none.ValidationAccuracy, kept.ValidationAccuracy);
    }

    [Fact]
    public void A_diverged_epoch_ends_the_fine_tune_with_its_message_and_without_it_the_run_fails()
    {
        LcOptions diverging = Base with { FinetuneLearningRate = 1e6 };

        LcResult kept = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, diverging with { FinetuneKeepBest = true });

        Assert.StartsWith("The fine-tune diverged in epoch 1", kept.Finetune!.Diverged);
        Assert.Single(kept.Finetune.Scores);
        Assert.Equal((0, kept.AccuracyBeforeFinetune), (kept.Finetune.EpochKept, kept.Accuracy));
        Assert.Null(kept.Network.FirstNonFinite());
        Assert.StartsWith("The fine-tune diverged in epoch 1", Assert.Throws<TrainingDivergedException>(() =>
            LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, diverging)).Message);
    }

    [Theory]
    [InlineData(0, 0.1, "there is no fine-tune: give --finetune-epochs above 0.")]
    [InlineData(3, null, "needs a held-out share to choose the fine-tune's epoch by (the test set must not choose the model it then scores): give --validation too")]
    public void Keeping_the_best_epoch_needs_a_fine_tune_and_a_held_out_share(int epochs, double? share, string message)
    {
        var options = new LcOptions { FinetuneKeepBest = true, FinetuneEpochs = epochs, ValidationShare = share };

        Assert.Contains(message, Assert.Throws<CompressionException>(options.Validate).Message);
    }
}
