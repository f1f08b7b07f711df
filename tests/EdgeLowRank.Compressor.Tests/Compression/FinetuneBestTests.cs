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

    [Theory]
    [InlineData(0.3)]    // held-out accuracy up to epoch 2, then down
    [InlineData(0.05)]   // epochs 3 and 4 tie at the highest
    public void The_network_is_left_at_the_first_epoch_of_the_highest_held_out_accuracy_and_scored_there(double rate)
    {
        // λ 1e-3 on the synthetic problem: the fine-tune's best epoch falls between its first and its last at these rates,
        // so the state copied out and back is an epoch's other than the last.
        LcOptions options = Base with { Lambda = 1e-3, FinetuneLearningRate = rate };
        LcResult best = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options with { FinetuneKeepBest = true });

        FinetuneChoice choice = Assert.IsType<FinetuneChoice>(best.Finetune);
        Assert.Equal(5, choice.ValidationAccuracies.Count);
        Assert.Null(choice.Diverged);
        Assert.InRange(choice.EpochKept, 1, 3);
        Assert.Equal(choice.ValidationAccuracies.ToList().IndexOf(choice.ValidationAccuracies.Max()), choice.EpochKept);
        Assert.Equal(choice.ValidationAccuracies[choice.EpochKept], best.ValidationAccuracy);
        Assert.Equal(Trainer.Evaluate(best.Network, SmallProblem.Data.Test, ComputeThreads.Single).Accuracy, best.Accuracy);
        // A fine-tune of as many epochs as the one kept leaves the same network, bit for bit.
        LcResult plain = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options with { FinetuneEpochs = choice.EpochKept });
        Assert.Equal(State(plain.Network), State(best.Network));
        Assert.Null(plain.Finetune);
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

        Assert.StartsWith("Training diverged in epoch 1", kept.Finetune!.Diverged);
        Assert.Single(kept.Finetune.ValidationAccuracies);
        Assert.Equal((0, kept.AccuracyBeforeFinetune), (kept.Finetune.EpochKept, kept.Accuracy));
        Assert.Null(kept.Network.FirstNonFinite());
        Assert.StartsWith("Training diverged in epoch 1", Assert.Throws<TrainingException>(() =>
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
