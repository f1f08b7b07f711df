namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr train --ranks</c> refuses a list it cannot use before it fetches data or writes a file.</summary>
public class ElrTrainTests : TempFiles
{
    [Theory]
    [InlineData("fc1:19", "layer=rank pairs")]
    [InlineData("fc9=3", "the dense and convolution layers of lenet300 are fc1, fc2, fc3")]
    [InlineData("fc1=300", "give it a rank from 1 to 216")]
    public void A_ranks_list_it_cannot_use_is_one_line_and_exit_code_1_before_any_work(string ranks, string message)
    {
        string cache = Directory.CreateDirectory(PathOf("cache")).FullName, output = PathOf("out.elr");

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache },
            "train", "--dataset", "mnist", "--model", "lenet300", "--ranks", ranks, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"elr: --ranks", result.Error[..12]);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }
}
