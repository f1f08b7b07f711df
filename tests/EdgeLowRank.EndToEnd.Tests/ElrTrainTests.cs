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
}
