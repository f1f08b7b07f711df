using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// What a deployment pipeline asks elr-run before it copies a model to its boards: the format version and required features
/// the file declares (`info`), the format this elr-run reads, and which build it is (`--version`, with the commit, as elr).
/// </summary>
public class ElrRunFormatVersionTests
{
    private static readonly string Reader = $"{FormatConstants.MajorVersion}.{FormatConstants.MinorVersion}";

    [Fact]
    public void Info_gives_a_1_0_file_s_version_and_no_required_features()
    {
        ToolResult table = Tool.ElrRun("info", Tool.Fixture("v1.0/lenet300-dense.elr"));
        ToolResult json = Tool.ElrRun("info", Tool.Fixture("v1.0/lenet300-dense.elr"), "--json");

        Assert.True((table.ExitCode, json.ExitCode) == (0, 0), table.Error + json.Error);
        Assert.Contains($"\nformat      1.0 (this elr-run knows formats up to {Reader}); no required features\n", table.Output);
        using var document = JsonDocument.Parse(json.Output);
        JsonElement root = document.RootElement;
        Assert.Equal("1.0", root.GetProperty("formatVersion").GetString());
        Assert.Empty(root.GetProperty("requiredFeatures").EnumerateArray());
        Assert.Equal(Reader, root.GetProperty("readerFormatVersion").GetString());
    }

    [Theory]
    [InlineData("lenet5-factorized-dynamic.elr", "row-major weight matrices (since 1.2), int8 weight matrices (since 1.3), integer products (since 1.10), integer convolutions (since 1.11)")]
    [InlineData("projection-shortcuts.elr", "row-major weight matrices (since 1.2), padded max pooling (since 1.7)")]
    [InlineData("uneven-padding.elr", "row-major weight matrices (since 1.2), padded max pooling (since 1.7), uneven padding (since 1.13)")]
    public void Info_names_each_required_feature_as_docs_FORMAT_md_does_with_the_format_that_brought_it(string fixture, string features)
    {
        ToolResult table = Tool.ElrRun("info", Tool.Fixture(fixture));
        ToolResult json = Tool.ElrRun("info", Tool.Fixture(fixture), "--json");

        Assert.True((table.ExitCode, json.ExitCode) == (0, 0), table.Error + json.Error);
        Assert.Contains($"\nformat      {Reader} (this elr-run knows formats up to {Reader}); requires {features}\n", table.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(Reader, document.RootElement.GetProperty("formatVersion").GetString());
        string[] names = [.. document.RootElement.GetProperty("requiredFeatures").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(Regex.Matches(features, @"([a-z0-9 -]+) \(since [0-9.]+\)(, )?").Select(m => m.Groups[1].Value), names);
    }

    [Fact]
    public void Every_required_feature_bit_the_reader_knows_has_a_name_once()
    {
        // A bit added to the format without a name here would be left out of `info` without a word.
        uint all = RequiredFeature.All.Aggregate(0u, (bits, f) => bits | f.Flag);
        Assert.Equal(RequiredFeature.All.Count, System.Numerics.BitOperations.PopCount(all));
        Assert.Equal((1u << RequiredFeature.All.Count) - 1, all);
        Assert.Equal(RequiredFeature.All.Count, RequiredFeature.All.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void Version_gives_the_release_and_the_commit_as_elr_does()
    {
        ToolResult elrRun = Tool.ElrRun("--version");
        ToolResult elr = Tool.Elr("--version");

        Assert.True(elrRun.ExitCode == 0, elrRun.Error);
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{40}\n$", elrRun.Output);
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{40}\n$", elr.Output);
        // The same release; the commits are each build's, which differ when only one tool was built since the last commit.
        Assert.Equal(elr.Output.Split('+')[0], elrRun.Output.Split('+')[0]);
    }
}
