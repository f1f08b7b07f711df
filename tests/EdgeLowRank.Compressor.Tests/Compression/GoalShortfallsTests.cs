using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>A run that ends short of a ratio it was asked for must say so; one that meets its goals must say nothing.</summary>
public sealed class GoalShortfallsTests
{
    /// <summary>The final relative ‖W−Θ‖² of the converged LeNet-300-100 runs.</summary>
    private const double Converged = 7.7e-6;

    [Theory]
    [InlineData(10.0, 10.1)]
    [InlineData(10.0, 9.6)] // within the 5% the target promises
    public void A_target_met_within_five_percent_gives_no_warning(double target, double reached)
    {
        Assert.Empty(GoalShortfalls.Find(new LcOptions { TargetRatio = target }, reached, 1.5, 1.5, Converged, null));
    }

    [Fact]
    public void A_storage_target_missed_by_more_than_five_percent_is_named_with_what_was_reached()
    {
        string warning = Assert.Single(Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 10, MaxRelativeError = 0.4 }, 9.4, 12, 12, Converged, null)));
        Assert.Contains("9.40× fewer parameters", warning);
        Assert.Contains("--target-ratio 10", warning);
        Assert.Contains("--max-relative-error 0.4", warning);
    }

    [Fact]
    public void A_model_short_only_by_what_no_C_step_factorizes_is_told_to_raise_the_target_not_the_rank_guard()
    {
        // mobilenet-mini at --target-ratio 3: its weight matrices 3.01× smaller, the model 2.50× (depthwise filters and biases).
        string warning = Assert.Single(Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 3 }, 2.50, 2.35, 2.71, Converged, null, budgetRatio: 3.01)));
        Assert.Contains("2.50× fewer parameters", warning);
        Assert.Contains("the weight matrices the C step factorizes are 3.01× smaller", warning);
        Assert.Contains("depthwise convolutions' filters", warning);
        Assert.Contains("Raise --target-ratio", warning);
        Assert.DoesNotContain("--max-relative-error", warning);
    }

    [Fact]
    public void A_ratio_that_is_no_number_is_a_miss_not_a_pass()
    {
        // A latency table with absurd times once predicted NaN× and the run ended without a warning.
        var options = new LcOptions { TargetRatio = 4, Criterion = CostCriterion.Latency };
        Assert.Contains("NaN× lower predicted latency", Assert.Single(Sentences(GoalShortfalls.Find(options, 5, 5, 5, Converged, latencyRatio: double.NaN))));
    }

    [Fact]
    public void A_flops_target_is_judged_on_the_flops_ratio()
    {
        var options = new LcOptions { TargetRatio = 4, Criterion = CostCriterion.Flops };
        Assert.Empty(GoalShortfalls.Find(options, 1.2, 4.0, 4.0, Converged, null));
        Assert.Contains("3.00× fewer multiply–adds", Assert.Single(Sentences(GoalShortfalls.Find(options, 20, 3.0, 3.0, Converged, null))));
    }

    [Fact]
    public void A_latency_target_is_judged_on_the_predicted_latency_not_on_storage_or_flops()
    {
        var options = new LcOptions { TargetRatio = 4, Criterion = CostCriterion.Latency };
        Assert.Empty(GoalShortfalls.Find(options, 1.1, 1.1, 1.1, Converged, latencyRatio: 3.9));
        string miss = Assert.Single(Sentences(GoalShortfalls.Find(options, 20, 20, 20, Converged, latencyRatio: 3.0)));
        Assert.StartsWith("The model has 3.00× lower predicted latency, more than 5% short of --target-ratio 4: ", miss);
    }

    [Fact]
    public void A_flops_floor_is_judged_on_the_last_C_steps_ratio()
    {
        var options = new LcOptions { TargetRatio = 11, MinFlopsRatio = 3 };
        Assert.Empty(GoalShortfalls.Find(options, 10.9, 3.06, 3.06, Converged, null));
        string warning = Assert.Single(Sentences(GoalShortfalls.Find(options, 10.9, 2.71, 2.71, Converged, null)));
        Assert.Contains("2.71× fewer multiply–adds", warning);
        Assert.Contains("--min-flops-ratio 3", warning);
    }

    [Fact]
    public void Both_goals_missed_give_two_warnings()
    {
        Assert.Equal(2, GoalShortfalls.Find(new LcOptions { TargetRatio = 11, MinFlopsRatio = 3 }, 9, 2, 2, Converged, null).Count);
    }

    [Fact]
    public void A_run_that_never_converged_says_so_and_does_not_blame_the_rank_guard()
    {
        // Two LC steps on the digits MLP ended at relative ‖W−Θ‖² ≈ 0.9 and 33% error, and the only warning pointed at the rank guard.
        IReadOnlyList<string> warnings = Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 4, Steps = 2 }, 2.97, 3.0, 3.0, 0.9, null));

        Assert.Equal(2, warnings.Count);
        Assert.Contains("ended far from a low-rank network (relative ‖W−Θ‖² 0.9", warnings[0]);
        Assert.Contains("Use more --steps (this run: 2; default 35)", warnings[0]);
        Assert.Contains("the LC steps did not converge", warnings[1]);
        Assert.DoesNotContain("--max-relative-error", warnings[1]);
    }

    [Theory]
    [InlineData(0.9721, 0.9679, 0.5, null)]          // 2.79% → 3.21%: 0.42 points, within half a point
    [InlineData(0.9829, 0.9779, 0.5, null)]          // exactly half a point, 0.5000000000000004 in doubles: met, not missed
    [InlineData(0.9721, 0.8579, 1.0, "The test error rose 11.42 points over the reference (2.79% → 14.21%), more than --max-error-rise 1: give --finetune-epochs N, a lower --target-ratio or more --epochs-per-step.")]
    [InlineData(0.9721, 0.9721, 0.0, null)]          // no rise meets a goal of none
    [InlineData(0.9721, double.NaN, 5.0, "The model's test error is not a number (its outputs are NaN), so --max-error-rise 5 is not met")]
    public void An_error_rise_above_the_goal_is_a_shortfall_named_with_both_errors(double reference, double accuracy, double points, string? expected)
    {
        // A trial's script took 2.79% → 14.21% for a success: no goal covered accuracy.
        var options = new LcOptions { TargetRatio = 8 };
        string? missed = GoalShortfalls.ErrorRise(options, reference, accuracy, points)?.Message;
        if (expected is null) Assert.Null(missed);
        else Assert.StartsWith(expected, missed);
        Assert.Null(GoalShortfalls.ErrorRise(options, reference, accuracy, null));
    }

    [Fact]
    public void The_error_rise_advice_follows_the_runs_own_settings()
    {
        // A review: a run that fine-tuned 30 epochs was told to "give --finetune-epochs N".
        string? tuned = GoalShortfalls.ErrorRise(new LcOptions { Lambda = 1e-4, FinetuneEpochs = 30 }, 0.97, 0.90, 1)?.Message;
        Assert.EndsWith("fine-tune longer (this run: --finetune-epochs 30), a lower λ or more --epochs-per-step.", tuned);
    }

    [Fact]
    public void An_unconverged_run_whose_weight_matrices_met_the_target_is_told_what_the_target_counts_not_that_convergence_missed_it()
    {
        // A trial's digits MLP at --target-ratio 15, 8 epochs a step: the weight matrices 16.62× smaller, the model 14.05× with
        // its biases, and the miss was put down to the LC steps, which had not converged but had met the target.
        IReadOnlyList<string> warnings = Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 15, EpochsPerStep = 8 }, 14.05, 14.6, 14.6, 0.3, null, budgetRatio: 16.62));

        Assert.Equal(2, warnings.Count);
        Assert.Contains("ended far from a low-rank network", warnings[0]);
        Assert.Contains("14.05× fewer parameters, more than 5% short of --target-ratio 15, though the weight matrices the C step factorizes are 16.62× smaller", warnings[1]);
        Assert.DoesNotContain("did not converge", warnings[1]);
    }

    [Fact]
    public void A_short_run_of_long_L_steps_that_never_converged_is_told_of_more_steps_first()
    {
        // MNIST's 60,000 training images: 235 updates an epoch.
        string warning = Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 8, Steps = 4, MuGrowth = LcOptions.MuGrowthFor(4) }, 7.88, 8.58, 8.58, 0.304, null,
            trainingSamples: 60_000))[0];
        Assert.Contains("Use more --steps (this run: 4; default 35) or more --epochs-per-step (this run: 1; each L step was 235 SGD updates, 60,000 images in batches of 256).", warning);
        Assert.DoesNotContain("Not more --steps", warning);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(35)]
    [InlineData(60)]
    public void A_run_of_short_L_steps_that_never_converged_is_told_of_longer_L_steps_and_not_of_more_steps(int steps)
    {
        // The digits MLP (1,438 training images, 6 updates an epoch) at 8×: 38.16% after 4 steps, 36.77% after 35 and 68.25%
        // after 60, none converged; 9.75% after 35 steps of 8 epochs.
        var options = new LcOptions { TargetRatio = 8, Steps = steps, MuGrowth = LcOptions.MuGrowthFor(steps) };
        string warning = Sentences(GoalShortfalls.Find(options, 7.88, 8.58, 8.58, 0.078, null, trainingSamples: 1438))[0];
        Assert.Contains("Use more --epochs-per-step (this run: 1; each L step was 6 SGD updates, 1,438 images in batches of 256).", warning);
        Assert.DoesNotContain("Use more --steps", warning);
        Assert.Contains("Not more --steps while each L step is so short", warning);
    }

    [Fact]
    public void A_default_length_run_of_long_L_steps_is_told_of_longer_L_steps_and_why_not_more_steps()
    {
        string warning = Sentences(GoalShortfalls.Find(new LcOptions { TargetRatio = 8 }, 7.88, 8.58, 8.58, 0.05, null, trainingSamples: 60_000))[0];
        Assert.Contains("Use more --epochs-per-step (this run: 1; each L step was 235 SGD updates", warning);
        Assert.Contains("More --steps at the growth they derive would raise μ less per step", warning);
        Assert.DoesNotContain("the digits MLP", warning);
    }

    [Theory]
    [InlineData(1.25)]  // the derived growth of 35 steps, given: more steps then carry μ to 56,000 (the digits at 8×, 60 steps: converged)
    [InlineData(1.5)]
    public void More_steps_at_a_growth_the_user_gave_raise_mus_end_and_are_advised(double growth)
    {
        var options = new LcOptions { TargetRatio = 8, Steps = 35, MuGrowth = growth };
        string warning = Sentences(GoalShortfalls.Find(options, 7.88, 8.58, 8.58, 0.078, null, trainingSamples: 1438, muGrowthGiven: true))[0];
        Assert.Contains("Use more --epochs-per-step (this run: 1; each L step was 6 SGD updates, 1,438 images in batches of 256) or more --steps (this run: 35; default 35).", warning);
        Assert.DoesNotContain("Not more --steps", warning);
    }

    [Fact]
    public void One_step_is_told_of_more_steps_alone_whatever_its_growth()
    {
        string warning = Sentences(GoalShortfalls.Find(new LcOptions { Steps = 1, MuGrowth = 1 }, 1, 1, 1, 0.5, null, trainingSamples: 1438, muGrowthGiven: true))[0];
        Assert.EndsWith("Use more --steps (this run: 1; default 35): a single step runs at μ₀ alone.", warning);
    }

    [Fact]
    public void An_explicit_slow_growth_is_told_of_a_faster_one()
    {
        string warning = Sentences(GoalShortfalls.Find(new LcOptions { Steps = 6, MuGrowth = 1.25 }, 1, 1, 1, 0.5, null, trainingSamples: 60_000, muGrowthGiven: true))[0];
        Assert.Contains("a faster --mu-growth (this run: 1.25; 4.560244082 by default for 6 steps)", warning);
    }

    [Fact]
    public void Each_miss_names_its_goal_the_bound_asked_and_the_value_reached_for_a_program_reading_the_log()
    {
        // A pipeline gates on the log's goalsMissed; the sentences are for people and change wording.
        IReadOnlyList<GoalMiss> misses = GoalShortfalls.Find(new LcOptions { TargetRatio = 11, MinFlopsRatio = 3 }, 9, 2.2, 2.1, 0.3, null);
        Assert.Equal([RunGoal.Convergence, RunGoal.TargetRatio, RunGoal.MinFlopsRatio], misses.Select(m => m.Goal));
        Assert.Equal((GoalShortfalls.ConvergedGap, 0.3), (misses[0].Asked, misses[0].Reached));
        Assert.Equal((11.0, 9.0), (misses[1].Asked, misses[1].Reached));
        Assert.Equal((3.0, 2.1), (misses[2].Asked, misses[2].Reached)); // the last C step's ratio, the one the floor bounds

        GoalMiss rose = GoalShortfalls.ErrorRise(new LcOptions { TargetRatio = 8 }, 0.9721, 0.8579, 1.0)!;
        Assert.Equal(RunGoal.MaxErrorRise, rose.Goal);
        Assert.Equal(1.0, rose.Asked);
        Assert.Equal(11.42, rose.Reached, 1e-9);
        Assert.True(double.IsNaN(GoalShortfalls.ErrorRise(new LcOptions { TargetRatio = 8 }, 0.97, double.NaN, 1.0)!.Reached));
    }

    /// <summary>The sentences of the misses, as the warnings print them.</summary>
    private static IReadOnlyList<string> Sentences(IReadOnlyList<GoalMiss> misses) => misses.Select(m => m.Message).ToArray();
}
