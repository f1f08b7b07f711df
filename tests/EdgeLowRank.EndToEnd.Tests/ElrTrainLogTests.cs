using System.Security.Cryptography;
using System.Text.Json;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr train --log</c>: the run's settings, every epoch's rate, loss, errors and time (the history Keras's fit returns),
/// and the outcome, written with the model or not at all, as <c>elr compress --log</c> is. A user trial's pipeline had only
/// the console's lines to read a training run from.
/// </summary>
public class ElrTrainLogTests : TempFiles
{
    [RealDataFact("digits")]
    public void The_log_holds_the_settings_every_epoch_and_the_error_the_model_records()
    {
        string model = PathOf("digits.elr"), log = PathOf("train.json");

        ToolResult run = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "3", "--lr-decay", "0.9", "--validation", "0.1",
            "--threads", "1", "-o", model, "--log", log);

        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
        JsonElement root = json.RootElement;
        Assert.Equal("digits-mlp", root.GetProperty("model").GetString());
        Assert.Equal("digits", root.GetProperty("dataset").GetString());
        Assert.Equal(model, root.GetProperty("output").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))), root.GetProperty("outputSha256").GetString());
        Assert.Equal("3", root.GetProperty("settings").GetProperty("epochs").GetString());
        Assert.Equal("1", root.GetProperty("settings").GetProperty("threads").GetString());
        Assert.Equal(0.1, root.GetProperty("validation").GetDouble());
        Assert.Equal(0, root.GetProperty("resumedEpochs").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("checkpointSetAside").ValueKind);

        JsonElement[] epochs = [.. root.GetProperty("epochs").EnumerateArray()];
        Assert.Equal([1, 2, 3], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        // --lr-decay 0.9 per epoch from the default 0.1 (its first rate), and a loss, errors and time for each.
        Assert.Equal(0.9, epochs[1].GetProperty("learningRate").GetDouble() / epochs[0].GetProperty("learningRate").GetDouble(), 9);
        Assert.All(epochs, e =>
        {
            Assert.InRange(e.GetProperty("loss").GetDouble(), 0, 10);
            Assert.InRange(e.GetProperty("testError").GetDouble(), 0, 1);
            Assert.InRange(e.GetProperty("validationError").GetDouble(), 0, 1);
            Assert.True(e.GetProperty("seconds").GetDouble() > 0);
        });
        using var read = ModelReader.Load(model);
        Assert.Equal(1 - read.Metadata.Accuracy!.Value, root.GetProperty("error").GetDouble(), 12);
        Assert.Equal(epochs[^1].GetProperty("testError").GetDouble(), root.GetProperty("error").GetDouble());
    }

    [Fact]
    public void A_log_on_the_output_is_refused_before_any_work()
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName, output = PathOf("out.elr");

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", "mnist", "--model", "lenet300", "-o", output, "--log", output);

        Assert.Equal((3, $"elr: --log '{output}' is the same file as -o. Choose another path for --log."), (result.ExitCode, result.Error.Trim()));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }
}
