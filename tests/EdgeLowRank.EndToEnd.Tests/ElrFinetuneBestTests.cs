using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr compress --validation S --finetune-best</c>: a fine-tune whose rate wrecks the network leaves the LC steps'
/// one written, says so, and records the epoch kept in the file and the log.</summary>
public class ElrFinetuneBestTests : TempFiles
{
    [RealDataFact("digits")]
    public void A_diverging_fine_tune_keeps_the_network_before_it_and_says_so()
    {
        string reference = PathOf("digits.elr"), output = PathOf("best.elr"), log = PathOf("best.json");
        DigitsReference.Train(reference);

        ToolResult run = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "4", "--validation", "0.1",
            "--finetune-epochs", "3", "--finetune-lr", "1e6", "--finetune-best", "--threads", "1", "--log", log, "-o", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("validation error ", run.Output);
        Assert.Contains(" (--finetune-best chose on it, so it reads low); ", run.Output);
        Assert.Contains("(fine-tune discarded, the network before it kept as the best on the held-out share: validation error ", run.Output);
        Assert.Contains("before the fine-tune; SGD diverged in epoch 1 of 3, which ended it)", run.Output);
        Assert.Contains("elr: warning: The fine-tune diverged in epoch 1", run.Error);
        Assert.Contains("--finetune-best kept the network before the fine-tune, as the summary above says.", run.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
        JsonElement root = json.RootElement;
        Assert.Equal(0, root.GetProperty("finetuneEpochKept").GetInt32());
        Assert.Equal(1, root.GetProperty("finetuneValidationErrors").GetArrayLength());
        Assert.Equal(1, root.GetProperty("finetuneValidationLosses").GetArrayLength());
        Assert.StartsWith("The fine-tune diverged in epoch 1", root.GetProperty("finetuneDiverged").GetString());
        Assert.Equal(root.GetProperty("errorBeforeFinetune").GetDouble(), root.GetProperty("error").GetDouble());
        using Model written = ModelReader.Load(output);
        Assert.Equal("0 (the network before the fine-tune)", written.Metadata.Properties["compress.finetune-epoch-kept"]);
        Assert.Equal("in epoch 1 of 3, which ended the fine-tune", written.Metadata.Properties["compress.finetune-diverged"]);
        Assert.EndsWith(", best epoch on the held-out share kept", written.Metadata.Properties["compress.finetune"]);
    }

    [RealDataFact("digits")]
    public void Without_it_a_diverging_fine_tune_fails_the_run_and_names_the_ways_to_keep_the_LC_steps()
    {
        string reference = PathOf("digits.elr"), checkpoint = PathOf("ck"), output = PathOf("lost.elr");
        DigitsReference.Train(reference);
        string[] run = ["compress", reference, "--method", "svd", "--target-ratio", "4", "--steps", "4", "--finetune-epochs", "3", "--finetune-lr", "1e6", "--threads", "1", "-o", output];

        ToolResult lost = Tool.Elr(run);
        ToolResult kept = Tool.Elr([.. run, "--checkpoint", checkpoint, "--validation", "0.1"]);

        Assert.Equal((5, 5), (lost.ExitCode, kept.ExitCode));
        Assert.Contains("elr: The fine-tune diverged in epoch 1", lost.Error);
        Assert.Contains("The LC steps are lost with it; with --checkpoint DIR a run saves every step, and the same command with --resume then redoes only the fine-tune; "
            + "a run with --validation 0.1 --finetune-best keeps its best epoch instead of failing (a new run: a held-out share changes the LC steps' training set).", lost.Error);
        Assert.Contains($"The LC steps are in the checkpoint in {checkpoint}: the same command with --resume and a lower --finetune-lr redoes only the fine-tune; "
            + "add --finetune-best to keep its best epoch instead of failing.", kept.Error);
        Assert.False(File.Exists(output));
        // As the message says: resumed with the option, only the fine-tune runs again, and it keeps the LC steps' network.
        ToolResult resumed = Tool.Elr([.. run, "--checkpoint", checkpoint, "--validation", "0.1", "--resume", "--finetune-best"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming from the checkpoint", resumed.Output);
        Assert.Contains("fine-tune discarded", resumed.Output);
    }
}
