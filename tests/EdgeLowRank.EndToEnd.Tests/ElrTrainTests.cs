namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr train</c> refuses a <c>--ranks</c> list, a <c>--validation</c> share or a <c>--label-smoothing</c> it cannot use before it fetches data or writes a file.</summary>
public class ElrTrainTests : TempFiles
{
    [Theory]
    [InlineData("--ranks", "fc1:19", "layer=rank pairs")]
    [InlineData("--ranks", "fc9=3", "the dense and convolution layers of lenet300 are fc1, fc2, fc3")]
    [InlineData("--ranks", "fc1=300", "give it a rank from 1 to 216")]
    [InlineData("--validation", "0", "between 0 and 1 (such as 0.1), not 0.")]
    [InlineData("--validation", "1.5", "between 0 and 1 (such as 0.1), not 1.5.")]
    [InlineData("--label-smoothing", "1", "in [0, 1) (such as 0.1), not 1.")]
    [InlineData("--label-smoothing", "-0.1", "in [0, 1) (such as 0.1), not -0.1.")]
    [InlineData("--lr-step", "40", "never comes within --epochs 10, so the rate would stay 0.1 throughout")]
    [InlineData("--lr-step", "4", "and --lr-decay is 1 (no decay); give --lr-decay below 1 too")]
    [InlineData("--lr", "1e-46", "is below the smallest single-precision number training computes with, so no weight would move; give a larger --lr.")]
    public void An_option_it_cannot_use_is_one_line_and_exit_code_1_before_any_work(string option, string value, string message)
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName, output = PathOf("out.elr");

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", "mnist", "--model", "lenet300", option, value, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"elr: {option}", result.Error);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    [Fact]
    public void A_rate_that_vanishes_in_single_precision_is_refused_before_any_work()
    {
        // --lr-decay 1e-320 passed the (0, 1] check, and every epoch after the first trained at a rate of exactly 0.
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName, output = PathOf("out.elr");

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", "mnist", "--model", "lenet300", "--epochs", "3", "--lr-decay", "1e-320", "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("elr: The learning rate falls to 0 by epoch 3, below the smallest single-precision number training computes with, so the weights would stop moving there; raise --lr-decay.",
            result.Error.Trim());
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }

    [Fact]
    public void An_output_on_a_cached_data_set_file_is_refused_and_the_file_kept()
    {
        // -o on the cached digits file replaced it with the model, and every later run called the cache damaged.
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName;
        string cached = Path.Combine(Directory.CreateDirectory(Path.Combine(cache, "digits")).FullName, "digits.csv.gz");
        File.WriteAllBytes(cached, [1, 2, 3]);

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "1", "-o", cached);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"-o '{cached}' is the same file as the digits data set's digits.csv.gz in the data cache; writing it would destroy", result.Error);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(cached));
    }
}
