using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr compress --steps K</c> without --mu-growth spreads the default μ schedule over K steps. At the default growth a
/// user trial's 6-step run ended at μ = 0.003 with 11.85% error, against 1.35% after its first C step; fewer steps must give
/// a coarser result, not a far worse one.
/// </summary>
public class ElrCompressShortRunTests : TempFiles
{
    [RealDataFact("digits")]
    public void A_short_run_ends_where_the_default_schedule_ends_and_near_its_first_C_step()
    {
        string reference = PathOf("digits.elr"), log = PathOf("short.json");
        DigitsReference.Train(reference);

        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "6", "--threads", "1",
            "--log", log, "-o", PathOf("short.elr"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("μ = 0.001·4.560244082^k (the growth for 6 steps: μ ends at 1.97, where the default 35 steps end; --mu-growth sets it), 6 steps", run.Output);
        Assert.DoesNotContain("short of --target-ratio", run.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
        JsonElement root = json.RootElement, steps = root.GetProperty("steps");
        Assert.Equal(0.001 * Math.Pow(1.25, 34), steps[steps.GetArrayLength() - 1].GetProperty("mu").GetDouble(), 1e-9);
        // Measured on this 5-epoch reference (19.22%): 23.68% after direct compression, 10.03% at the end at 4.01×, relative
        // ‖W−Θ‖² 0.034; at the default growth 47.63% at 2.28×, relative 0.94. Two points are 7 of the 359 test images.
        Assert.True(root.GetProperty("storageRatio").GetDouble() >= 4 * 0.95, $"storage ratio {root.GetProperty("storageRatio")}");
        double first = steps[0].GetProperty("testError").GetDouble(), last = root.GetProperty("errorBeforeFinetune").GetDouble();
        Assert.True(last <= first + 0.02, $"error {last:P2} at the end against {first:P2} after direct compression");
        Assert.True(root.GetProperty("finalRelativeGap").GetDouble() < 0.1, $"relative ‖W−Θ‖² {root.GetProperty("finalRelativeGap")} at the end");
    }

    [RealDataFact("digits")]
    public void An_explicit_mu_growth_is_honoured_with_any_number_of_steps()
    {
        string reference = PathOf("digits.elr"), log = PathOf("explicit.json");
        DigitsReference.Train(reference);

        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "6", "--mu-growth", "1.25", "--threads", "1",
            "--log", log, "-o", PathOf("explicit.elr"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("μ = 0.001·1.25^k, 6 steps", run.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
        Assert.Equal("0.001·1.25^k", json.RootElement.GetProperty("settings").GetProperty("mu").GetString());
        JsonElement steps = json.RootElement.GetProperty("steps");
        Assert.Equal(0.001 * Math.Pow(1.25, 5), steps[steps.GetArrayLength() - 1].GetProperty("mu").GetDouble(), 1e-12);
    }

    [RealDataFact("digits")]
    public void A_converged_short_run_that_lost_accuracy_is_told_its_epochs_and_the_ways_back()
    {
        string reference = PathOf("digits30.elr");
        ToolResult trained = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "30", "--threads", "1", "-o", reference);
        Assert.True(trained.ExitCode == 0, trained.Error);

        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "6", "--steps", "10", "--threads", "1",
            "-o", PathOf("short.elr"));

        // Measured: 3.06% → 13.65% at 5.83× (38 more of the 359 test images wrong), converged, so no warning says why.
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("far from a low-rank network", run.Error);
        Assert.Contains("elr: note: the error rose", run.Error);
        Assert.Contains("the network trained 10 epochs in 10 LC steps of 1 epoch, against the default's 35 LC steps of 1 epoch", run.Error);
        Assert.Contains("--finetune-epochs N", run.Error);
    }

    [RealDataFact("digits")]
    public void A_default_length_run_that_did_not_converge_on_a_small_set_is_told_of_longer_L_steps_not_more_steps()
    {
        string reference = PathOf("digits5.elr");
        DigitsReference.Train(reference);

        ToolResult run = Tool.Elr("compress", reference, "--target-ratio", "8", "--threads", "1", "-o", PathOf("far.elr"));

        // Measured: relative ‖W−Θ‖² 0.22 and 30.08% error. An L step on the digits' 1,438 training images is 6 updates, and
        // more steps (at the growth they derive) end farther: 60 steps on the 100-epoch reference, 0.97 against 0.078.
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("far from a low-rank network", run.Error);
        Assert.Contains("Use more --epochs-per-step (this run: 1; each L step was 6 SGD updates, 1,438 images in batches of 256).", run.Error);
        Assert.Contains("Not more --steps", run.Error);

        // The same run with the growth given as --mu-growth: more steps would then carry μ higher (60 steps at 1.25 converged).
        ToolResult given = Tool.Elr("compress", reference, "--target-ratio", "8", "--mu-growth", "1.25", "--threads", "1", "-o", PathOf("given.elr"));
        Assert.True(given.ExitCode == 0, given.Error);
        Assert.Contains("or more --steps (this run: 35; default 35).", given.Error);
        Assert.DoesNotContain("Not more --steps", given.Error);
    }

    [RealDataFact("digits")]
    public void A_fine_tune_that_made_the_network_worse_is_warned_of_with_its_rate()
    {
        string reference = PathOf("digits5.elr");
        DigitsReference.Train(reference);

        // Measured: 18.11% after 4 steps of 8 epochs, 56.27% after five fine-tune epochs at 0.08, where 4 steps' L rates end
        // (the fine-tune's default before it was held to where the default 35 steps' end).
        ToolResult run = Tool.Elr("compress", reference, "--target-ratio", "8", "--steps", "4", "--epochs-per-step", "8", "--finetune-epochs", "5",
            "--finetune-lr", "0.08", "--threads", "1", "-o", PathOf("worse.elr"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"elr: warning: The fine-tune raised the test error from \d+\.\d\d% to \d+\.\d\d% \(5 epochs from rate 0\.08\)", run.Error);
        Assert.Contains("Give a lower --finetune-lr", run.Error);
    }
}
