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
        Assert.Contains("(the network before the fine-tune kept, the lowest validation error: ", run.Output);
        Assert.Contains("before the fine-tune; SGD diverged in epoch 1, which ended the fine-tune)", run.Output);
        Assert.Contains("elr: warning: the fine-tune stopped: Training diverged in epoch 1", run.Error);
        Assert.Contains("--finetune-best kept epoch 0 (0: the network before the fine-tune)", run.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
        JsonElement root = json.RootElement;
        Assert.Equal(0, root.GetProperty("finetuneEpochKept").GetInt32());
        Assert.Equal(1, root.GetProperty("finetuneValidationErrors").GetArrayLength());
        Assert.StartsWith("Training diverged in epoch 1", root.GetProperty("finetuneDiverged").GetString());
        Assert.Equal(root.GetProperty("errorBeforeFinetune").GetDouble(), root.GetProperty("error").GetDouble());
        using Model written = ModelReader.Load(output);
        Assert.Equal("0", written.Metadata.Properties["compress.finetune-epoch-kept"]);
        Assert.EndsWith(", best epoch on the held-out share kept", written.Metadata.Properties["compress.finetune"]);
    }
}
