using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class ExternalProcessTests
{
    private static void Run(string program, string[] arguments, TimeSpan timeout, string? folder = null) =>
        ExternalProcess.Run(program, arguments, folder ?? Path.GetTempPath(), timeout, "install it", "it failed", CancellationToken.None);

    [Fact]
    public void MissingProgramSaysSoAndGivesTheInstallHint()
    {
        var e = Assert.Throws<DataFetchException>(() => Run("elr-no-such-tool", [], TimeSpan.FromSeconds(5)));

        Assert.Contains("'elr-no-such-tool' is not installed", e.Message);
        Assert.Equal("install it", e.Hint);
    }

    [Fact]
    public void NonZeroExitShowsTheToolsOwnWords()
    {
        var e = Assert.Throws<DataFetchException>(() => Run("sh", ["-c", "echo 'E: Unable to locate package' >&2; exit 100"], TimeSpan.FromSeconds(10)));

        Assert.Contains("exit code 100", e.Message);
        Assert.Contains("E: Unable to locate package", e.Message);
        Assert.Equal("it failed", e.Hint);
    }

    [Fact]
    public void HangingToolIsStoppedAtTheTimeout()
    {
        var e = Assert.Throws<DataFetchException>(() => Run("sleep", ["30"], TimeSpan.FromMilliseconds(300)));

        Assert.Contains("did not finish within", e.Message);
    }

    [Fact]
    public void ArgumentsAreNotReparsedByAShell()
    {
        // A shell would run two commands and make the files "a", "b;" and "c"; passed as one argument it names one file.
        string folder = Directory.CreateTempSubdirectory("elr-process-").FullName;
        try
        {
            Run("touch", ["a b; touch c"], TimeSpan.FromSeconds(10), folder);

            Assert.Equal(["a b; touch c"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
