namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr data fetch</c> takes a data set's name in any case, as <c>--dataset</c> does, and names the known ones otherwise.</summary>
public class ElrDataTests : TempFiles
{
    [Theory]
    [InlineData("MNIST")]
    [InlineData("Digits")]
    [InlineData("ALL")]
    public void A_name_in_capitals_gets_past_the_parser(string name)
    {
        // ELR_DATA naming a file stops the fetch at its first step, after the name was accepted, without any download.
        string file = Write("not-a-folder", [1]);
        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = file }, "data", "fetch", name);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("which is a file", result.Error);
        Assert.DoesNotContain("Unknown data set", result.Error);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_known_ones()
    {
        ToolResult result = Tool.Elr("data", "fetch", "cifar10");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown data set 'cifar10'. Known data sets: mnist, fashion-mnist, digits, all.", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
