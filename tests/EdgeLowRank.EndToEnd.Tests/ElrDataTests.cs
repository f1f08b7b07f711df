using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary><c>elr data fetch</c> takes a data set's name in any case, as <c>--dataset</c> does, and names the known ones otherwise;
/// <c>elr data verify</c> finds a cached file changed in place; ELR_OFFLINE=1 refuses to fetch.</summary>
public class ElrDataTests : TempFiles
{
    /// <summary>A data cache holding a copy of the real digits (57 KB): the tests change it, never the real cache.</summary>
    private string CacheWithDigits()
    {
        string cache = PathOf("cache");
        Directory.CreateDirectory(Path.Combine(cache, "digits"));
        File.Copy(Path.Combine(RealData.Cache.DirectoryOf(DatasetCatalog.Digits), "digits.csv.gz"), Path.Combine(cache, "digits", "digits.csv.gz"));
        return cache;
    }

    [RealDataFact("digits")]
    public void Verify_names_a_file_changed_in_place_and_the_command_that_replaces_it()
    {
        string cache = CacheWithDigits();
        var environment = new Dictionary<string, string> { ["ELR_DATA"] = cache };

        ToolResult intact = Tool.ElrWith(environment, "data", "verify", "digits");
        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Contains("│ ok ", intact.Output);
        Assert.Contains("checked 1 file (0.1 MB) by SHA-256 in ", intact.Output);

        string csv = Path.Combine(cache, "digits", "digits.csv.gz");
        byte[] bytes = File.ReadAllBytes(csv);
        bytes[^1] ^= 1; // the same size: elr data list and the old size check still call it cached
        File.WriteAllBytes(csv, bytes);

        ToolResult changed = Tool.ElrWith(environment, "data", "verify"); // all: the data sets never fetched are listed, not failed
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("changed (same size, SHA-256 ", changed.Output);
        Assert.Contains("not fetched", changed.Output);
        Assert.Equal("elr: digits: 1 of 1 files changed or missing; run 'elr data fetch digits --force' to replace the cached copy.", changed.Error.Trim());

        // The fetch that said "already cached" of the trial's changed MNIST now refuses the copy, with the same remedy.
        ToolResult fetch = Tool.ElrWith(environment, "data", "fetch", "digits");
        Assert.Equal(2, fetch.ExitCode);
        Assert.Contains($"{csv}: whole file: changed after it was fetched and checked", fetch.Error);
        Assert.Contains("run 'elr data fetch digits --force'", fetch.Error);

        File.Delete(csv);
        ToolResult missing = Tool.ElrWith(environment, "data", "verify", "digits");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("│ missing ", missing.Output);
    }

    [Fact]
    public void Verify_of_a_data_set_never_fetched_says_to_fetch_it()
    {
        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = PathOf("empty") }, "data", "verify", "mnist");
        Assert.Equal(3, result.ExitCode);   // a folder to fill, not a copy to replace
        Assert.Contains("elr: mnist is not in the cache; run 'elr data fetch mnist'.", result.Error);
    }

    [Fact]
    public void Offline_a_missing_data_set_fails_at_once_with_where_and_how_to_fetch_it()
    {
        string cache = PathOf("empty");
        var environment = new Dictionary<string, string> { ["ELR_DATA"] = cache, ["ELR_OFFLINE"] = "1" };

        // A command that loads a data set, as eval does; without the switch it would run apt-get download.
        ToolResult result = Tool.ElrWith(environment, "data", "export", "digits", "-o", PathOf("out"));

        Assert.Equal(6, result.ExitCode);   // a fetch not made: retry where there is network
        Assert.Contains($"digits is not in the data cache {cache} (no folder {Path.Combine(cache, "digits")}), and ELR_OFFLINE is set, which forbids fetching.", result.Error);
        Assert.Contains("hint: on a machine with network, run 'elr data fetch digits'", result.Error);
        Assert.False(Directory.Exists(PathOf("out")));
        Assert.False(Directory.Exists(Path.Combine(cache, "digits")));
    }

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
