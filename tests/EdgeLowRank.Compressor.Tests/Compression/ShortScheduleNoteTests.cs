using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A short schedule (fewer LC steps or epochs than the default) that cost accuracy gets a note naming the ways back;
/// the default run, a fine-tuned run and one that lost little get none.</summary>
public sealed class ShortScheduleNoteTests
{
    /// <summary>The final relative ‖W−Θ‖² of LeNet-300-100's 4-step run at 10×.</summary>
    private const double Converged = 2.24e-4;

    private const int Mnist = 10_000, Digits = 359;

    [Fact]
    public void A_short_run_that_lost_two_points_is_told_its_epochs_and_the_ways_back()
    {
        // LeNet-300-100 at 10× with --steps 4: reference 1.71%, result 3.72%.
        string? note = ShortScheduleNote.For(new LcOptions { Steps = 4 }, 0.9829, 0.9628, Mnist, 4, Converged);
        Assert.NotNull(note);
        Assert.Contains("rose 2.01 points", note);
        Assert.Contains("1.71% → 3.72%", note);
        Assert.Contains("the network trained 4 epochs in 4 LC steps of 1 epoch, against the default's 35 LC steps of 1 epoch", note);
        Assert.Contains("--finetune-epochs N", note);
        Assert.Contains("more --steps", note);
    }

    [Theory]
    [InlineData(35, 1, 0, 0.9629)] // the default schedule, however much it lost
    [InlineData(4, 1, 5, 0.9629)]  // fine-tuned
    [InlineData(4, 1, 0, 0.9800)]  // 0.29 points: within what seeds move
    [InlineData(35, 2, 0, 0.9629)] // more epochs than the default in as many steps
    [InlineData(4, 1, 0, double.NaN)]
    public void No_note_for_a_full_schedule_a_fine_tune_or_a_small_loss(int steps, int epochsPerStep, int finetuneEpochs, double accuracy)
    {
        var options = new LcOptions { Steps = steps, EpochsPerStep = epochsPerStep, FinetuneEpochs = finetuneEpochs };
        Assert.Null(ShortScheduleNote.For(options, 0.9829, accuracy, Mnist, steps, Converged));
    }

    [Fact]
    public void Few_steps_of_many_epochs_are_a_short_schedule_too_and_are_told_of_smaller_jumps_of_mu()
    {
        // LeNet-300-100 at 10× with --steps 4 --epochs-per-step 9: 36 epochs, more than the default's 35, and 2.99%.
        var options = new LcOptions { Steps = 4, EpochsPerStep = 9, MuGrowth = LcOptions.MuGrowthFor(4) };
        string? note = ShortScheduleNote.For(options, 0.9829, 0.9701, Mnist, 4, Converged, trainingSamples: 60_000);
        Assert.NotNull(note);
        Assert.Contains("the network trained 36 epochs in 4 LC steps of 9 epochs, against the default's 35 LC steps of 1 epoch", note);
        Assert.Contains("more --steps train it longer, in smaller jumps of μ (×12.54 a step in this run; LeNet-300-100 at 10× by latency", note);
        Assert.DoesNotContain("--epochs-per-step", note);
    }

    [Fact]
    public void Short_L_steps_of_several_epochs_are_told_of_more_steps_not_more_epochs()
    {
        // The digits MLP at 8× after 4 steps of 8 epochs (48 updates each): 18.66%; more epochs made it worse (21.45% at 9,
        // 26.46% at 40), more steps better (13.93% after 10, 9.75% after 35).
        var options = new LcOptions { Steps = 4, EpochsPerStep = 8, MuGrowth = LcOptions.MuGrowthFor(4) };
        string? note = ShortScheduleNote.For(options, 0.9721, 0.8134, Digits, 4, Converged, trainingSamples: 1438);
        Assert.NotNull(note);
        Assert.Contains("more --steps train it longer, in smaller jumps of μ (×12.54 a step in this run; the digits MLP at 8× in steps of 8 epochs: 18.66% after 4 steps", note);
        Assert.DoesNotContain("--epochs-per-step", note);
    }

    [Fact]
    public void A_run_of_short_L_steps_is_told_of_more_epochs_per_step_not_more_steps()
    {
        // The digits MLP at 8× in 10 steps: 29.81%, converged; 13.93% at 8 epochs a step; not converged at the default 35.
        string? note = ShortScheduleNote.For(new LcOptions { Steps = 10 }, 0.9721, 0.7019, Digits, 10, 0.008, trainingSamples: 1438);
        Assert.NotNull(note);
        Assert.Contains("more --epochs-per-step give each L step more than its 6 SGD updates", note);
        Assert.DoesNotContain("more --steps", note);
    }

    [Fact]
    public void A_run_that_did_not_converge_is_left_to_its_warning()
    {
        // The digits MLP at --steps 2, 8×: relative ‖W−Θ‖² 0.476, 19.22% → 36.49%.
        Assert.Null(ShortScheduleNote.For(new LcOptions { Steps = 2 }, 0.8078, 0.6351, Digits, 2, 0.476));
        Assert.NotNull(ShortScheduleNote.For(new LcOptions { Steps = 2 }, 0.8078, 0.6351, Digits, 2, GoalShortfalls.ConvergedGap));
    }

    [Fact]
    public void A_loss_of_few_images_on_a_small_test_set_gets_no_note()
    {
        // The digits MLP at 4× with CUR: 2.79% → 3.34%, 2 of 359 images, at 10 and 20 steps as at the default 35.
        Assert.Null(ShortScheduleNote.For(new LcOptions { Steps = 10 }, 1 - 10.0 / Digits, 1 - 12.0 / Digits, Digits, 10, Converged));
        Assert.NotNull(ShortScheduleNote.For(new LcOptions { Steps = 10 }, 1 - 10.0 / Digits, 1 - 20.0 / Digits, Digits, 10, Converged));
    }

    [Fact]
    public void A_run_the_stopping_rule_ended_counts_the_steps_it_ran_and_is_told_only_of_fine_tuning()
    {
        string? note = ShortScheduleNote.For(new LcOptions { Steps = 20 }, 0.9829, 0.97, Mnist, 12, Converged);
        Assert.NotNull(note);
        Assert.Contains("the network trained 12 epochs in 12 LC steps of 1 epoch (the stopping rule ended the 20 asked for), against the default's 35 LC steps", note);
        Assert.Contains("--finetune-epochs N", note);
        Assert.DoesNotContain("more --steps", note);
    }

    [Fact]
    public void One_step_is_named_in_the_singular()
    {
        Assert.Contains("the network trained 1 epoch in 1 LC step of 1 epoch", ShortScheduleNote.For(new LcOptions { Steps = 1 }, 0.9829, 0.97, Mnist, 1, Converged));
    }

    [Fact]
    public void Several_epochs_per_step_are_counted_in_the_schedules_length()
    {
        string? note = ShortScheduleNote.For(new LcOptions { Steps = 5, EpochsPerStep = 2 }, 0.9829, 0.97, Mnist, 5, Converged);
        Assert.NotNull(note);
        Assert.Contains("the network trained 10 epochs in 5 LC steps of 2 epochs", note);
    }

    [Theory]
    [InlineData(4, 1, 4, 60_000)]   // few epochs
    [InlineData(4, 9, 4, 60_000)]   // as many epochs in few steps
    [InlineData(10, 1, 10, 1_438)]  // short L steps
    [InlineData(20, 1, 12, 60_000)] // ended by the stopping rule
    public void Every_form_of_the_note_closes_what_it_opens_and_names_where_the_figures_are(int steps, int epochsPerStep, int stepsRun, int trainingSamples)
    {
        var options = new LcOptions { Steps = steps, EpochsPerStep = epochsPerStep, MuGrowth = LcOptions.MuGrowthFor(steps) };
        string? note = ShortScheduleNote.For(options, 0.9829, 0.96, Mnist, stepsRun, Converged, trainingSamples);
        Assert.NotNull(note);
        Assert.Equal(note.Count(c => c == '('), note.Count(c => c == ')'));
        Assert.EndsWith("; docs/ALGORITHM.md, \"Fewer or more LC steps\").", note);
    }
}
