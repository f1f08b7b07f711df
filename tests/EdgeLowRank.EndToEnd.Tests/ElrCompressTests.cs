namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr compress</c> refuses a command line that cannot work before it loads any data: one line on stderr naming what
/// is wrong and what to do, exit 1, no output file, and nothing fetched into the (empty) data cache.
/// </summary>
public class ElrCompressTests : TempFiles
{
    private static readonly string Dense = Tool.Fixture("lenet300-dense.elr");

    [Theory]
    [InlineData("negative-lambda", "--lambda must be a finite number ≥ 0, not -1")]
    [InlineData("unknown-method", "qr")]
    [InlineData("resume-alone", "--resume needs --checkpoint")]
    [InlineData("missing-model", "does not exist; train one with")]
    [InlineData("missing-folder", "The output folder")]
    [InlineData("wrong-dataset", "but digits has")]
    [InlineData("unreachable-target", "--target-ratio 4 cannot be reached: with every layer at its cheapest rank except fc1 (kept dense), the storage cost falls 1.13× at most")]
    [InlineData("unknown-layer", "--keep-dense names 'fc9', but the compressible layers are fc1, fc2, fc3")]
    [InlineData("flops-floor-with-lambda", "A least FLOPs ratio (--min-flops-ratio) needs --target-ratio")]
    [InlineData("unreachable-flops-floor", "--min-flops-ratio 1000 cannot be reached: with every layer at its cheapest rank, the flops cost falls")]
    public void A_command_line_that_cannot_work_is_one_line_and_writes_nothing(string kind, string message)
    {
        string output = kind == "missing-folder" ? PathOf(Path.Combine("no-such-folder", "out.elr")) : PathOf("out.elr");
        string cache = PathOf("data-cache");
        Directory.CreateDirectory(cache);
        string[] args = kind switch
        {
            "negative-lambda" => [Dense, "--dataset", "mnist", "--method", "svd", "--lambda", "-1", "-o", output],
            "unknown-method" => [Dense, "--dataset", "mnist", "--method", "qr", "--lambda", "1e-6", "-o", output],
            "resume-alone" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--resume", "-o", output],
            "missing-model" => [PathOf("absent.elr"), "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output],
            "missing-folder" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "-o", output],
            "unreachable-target" => [Dense, "--dataset", "mnist", "--method", "svd", "--target-ratio", "4", "--keep-dense", "fc1", "-o", output],
            "flops-floor-with-lambda" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--min-flops-ratio", "2", "-o", output],
            "unreachable-flops-floor" => [Dense, "--dataset", "mnist", "--method", "svd", "--target-ratio", "2", "--min-flops-ratio", "1000", "-o", output],
            "unknown-layer" => [Dense, "--dataset", "mnist", "--method", "cur", "--lambda", "1e-6", "--keep-dense", "fc3,fc9", "-o", output],
            _ => [Dense, "--dataset", "digits", "--method", "cur", "--target-ratio", "4", "-o", output],
        };

        ToolResult result = Tool.ElrWith(new Dictionary<string, string> { ["ELR_DATA"] = cache }, ["compress", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("elr: ", result.Error);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
    }
}
