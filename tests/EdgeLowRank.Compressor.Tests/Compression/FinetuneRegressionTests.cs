using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A fine-tune that made the network clearly worse is warned of with its rate and the ways back; one that helped,
/// lost little, or did not run is not.</summary>
public sealed class FinetuneRegressionTests
{
    private const int Digits = 359, Mnist = 10_000;

    [Fact]
    public void A_fine_tune_that_undid_the_LC_steps_is_told_its_rate_and_the_ways_back()
    {
        // The digits MLP at 8× after 4 steps of 8 epochs, five epochs at 0.08: 18.66% → 79.67%.
        var options = new LcOptions { Steps = 4, EpochsPerStep = 8, FinetuneEpochs = 5, FinetuneLearningRate = 0.0804 };
        string? warning = FinetuneRegression.Warning(options, 1 - 0.1866, 1 - 0.7967, Digits);
        Assert.NotNull(warning);
        Assert.StartsWith("The fine-tune raised the test error from 18.66% to 79.67% (5 epochs from rate 0.0804), and the model written is the fine-tuned one", warning);
        Assert.Contains("Give a lower --finetune-lr", warning);
        Assert.EndsWith("leave out --finetune-epochs to keep the LC steps' 18.66%, or give --finetune-best to keep the epoch (or the network before the fine-tune) "
            + "best on a held-out share (with --validation 0.1: a new run, as the share changes the LC steps' training set).", warning);
        Assert.EndsWith("best on a held-out share.", FinetuneRegression.Warning(options with { ValidationShare = 0.1 }, 1 - 0.1866, 1 - 0.7967, Digits));
    }

    [Fact]
    public void An_epoch_kept_by_the_held_out_share_that_the_test_set_finds_worse_is_told_as_a_disagreement()
    {
        var options = new LcOptions { FinetuneEpochs = 5, FinetuneLearningRate = 0.01, ValidationShare = 0.1, FinetuneKeepBest = true };
        string? warning = FinetuneRegression.Warning(options, 0.97, 0.95, Mnist, new FinetuneChoice(2, 5, [new(0.96, 0.2), new(0.962, 0.19), new(0.97, 0.15), new(0.95, 0.16), new(0.95, 0.17), new(0.95, 0.18)], ChosenBest: true));

        Assert.Equal("The fine-tune's epoch 2, which --finetune-best kept as the best on the held-out share, raised the test error from 3.00% to 5.00% "
            + "(from rate 0.01): the held-out share and the test set disagree on it. A larger --validation share chooses more surely; a lower --finetune-lr changes the network less.", warning);
    }

    [Fact]
    public void The_default_rate_is_named_as_the_default()
    {
        var options = new LcOptions { Steps = 4, FinetuneEpochs = 1 };
        Assert.Contains("(1 epoch from rate 0.00848, the default)", FinetuneRegression.Warning(options, 0.97, 0.90, Mnist));
    }

    [Theory]
    [InlineData(0, 0.97, 0.90)]     // no fine-tune
    [InlineData(5, 0.9628, 0.9743)] // it helped (LeNet-300-100 at 10× after 4 steps: 3.72% → 2.57%)
    [InlineData(5, 0.9829, 0.9809)] // 0.20 points: within what seeds move
    [InlineData(5, 0.97, double.NaN)]
    public void No_warning_for_no_fine_tune_a_gain_or_a_small_loss(int epochs, double before, double after)
    {
        Assert.Null(FinetuneRegression.Warning(new LcOptions { FinetuneEpochs = epochs }, before, after, Mnist));
    }

    [Fact]
    public void A_loss_of_few_images_on_a_small_test_set_is_not_warned_of()
    {
        var options = new LcOptions { FinetuneEpochs = 5 };
        Assert.Null(FinetuneRegression.Warning(options, 1 - 10.0 / Digits, 1 - 12.0 / Digits, Digits));
        Assert.NotNull(FinetuneRegression.Warning(options, 1 - 10.0 / Digits, 1 - 20.0 / Digits, Digits));
    }
}
